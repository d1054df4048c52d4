"""The floor of scripts/bench/live.py: a bare Flask-SocketIO app that only re-broadcasts each
score it receives to every connected client, one emit per score (no database, no login,
no batching). Served like the real app, with the same settings file (gevent, one worker,
3,000 connections) and only the application overridden:

gunicorn -c gunicorn.conf.py --bind 127.0.0.1:5072 --pythonpath scripts/bench live_baseline:app"""

from __future__ import annotations

from flask import Flask, request
from flask_socketio import SocketIO

app = Flask(__name__)
socketio = SocketIO(app, cors_allowed_origins=[])


@app.post("/score")
def score():
    socketio.emit("score", request.get_json(), namespace="/live")
    return "", 204


@socketio.on("connect", namespace="/live")
def connect(auth=None):
    return True
