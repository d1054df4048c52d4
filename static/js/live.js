// CrunchLive: the page's one connection to the server's live events (Socket.IO, /live).
// The server puts the connection in the rooms the user may see; pages only listen.
//   CrunchLive.on(event, handler)     handler(payload, meta) for each event of that name, in
//                                     order, once; meta = {room, seq, epoch}. A room's board
//                                     view (snapshot or update) arrives as event "board".
//   CrunchLive.onConnect(handler)     handler(isReconnection) after every (re)connection, and
//                                     with true when missed events could not be replayed:
//                                     a page refetches its state there, so nothing is missed
//   CrunchLive.onStatus(handler)      handler("connected" | "disconnected")
// Protocol (crunchtime/realtime/handlers.py): every event carries its room's next seq. On
// connect the client sends where it stood ({since: {room: [epoch, seq]}}) and gets, per room,
// the events it missed ("catchup") or the room's state ("snapshot"). An event whose seq skips
// one triggers "resync"; an event already seen is dropped.
(function () {
  "use strict";
  if (typeof io === "undefined") return;
  const rooms = {};          // room -> {epoch, seq}
  const waiting = {};        // room -> events received before the room's position is known
  const handlers = {};
  const connectHandlers = [];
  const statusHandlers = [];
  let connectedBefore = false;
  const socket = io("/live", {
    auth: (send) => {
      const since = {};
      for (const [room, at] of Object.entries(rooms)) since[room] = [at.epoch, at.seq];
      send({ since });
    },
  });

  function deliver(event, payload, meta) {
    (handlers[event] || []).forEach((handler) => handler(payload, meta));
  }

  function stale() {
    connectHandlers.forEach((handler) => handler(true));
  }

  function flush(room) {
    const queued = (waiting[room] || []).sort((a, b) => a[2].seq - b[2].seq);
    waiting[room] = [];
    queued.forEach(([event, payload, meta]) => receive(event, payload, meta));
  }

  function apply(answer) {
    const room = answer.room;
    const before = rooms[room];
    rooms[room] = { epoch: answer.epoch, seq: answer.seq };
    if (answer.events) {
      answer.events.forEach(([seq, event, payload]) => {
        if (!before || seq > before.seq) deliver(event, payload, { room, seq, epoch: answer.epoch });
      });
    } else if (answer.state) {
      deliver("board", answer.state, { room, seq: answer.seq, epoch: answer.epoch, snapshot: true });
    } else if (before) {
      stale();  // the events are gone: the page asks for its state again
    }
    flush(room);
  }

  function resync(room) {
    const at = rooms[room];
    at.held = true;  // until the answer comes, hold the room's events back
    socket.emit("resync", { [room]: [at.epoch, at.seq] }, (answers) => (answers || []).forEach(apply));
  }

  function receive(event, payload, meta) {
    if (!meta || typeof meta.seq !== "number") { deliver(event, payload, meta); return; }
    const at = rooms[meta.room];
    if (!at || at.held) { (waiting[meta.room] = waiting[meta.room] || []).push([event, payload, meta]); return; }
    if (meta.epoch === at.epoch && meta.seq <= at.seq) return;  // seen already
    if (meta.epoch === at.epoch && meta.seq === at.seq + 1) {
      at.seq = meta.seq;
      deliver(event, payload, meta);
      return;
    }
    if (meta.epoch !== at.epoch && meta.seq === 1) {
      // The server's sequences began again (its store was lost): the first event of the new
      // epoch misses nothing of it; taken at once, without every viewer asking at once.
      rooms[meta.room] = { epoch: meta.epoch, seq: 1 };
      deliver(event, payload, meta);
      return;
    }
    (waiting[meta.room] = waiting[meta.room] || []).push([event, payload, meta]);
    resync(meta.room);
  }

  socket.on("snapshot", apply);
  socket.on("catchup", apply);
  socket.onAny((event, payload, meta) => {
    if (event !== "snapshot" && event !== "catchup") receive(event, payload, meta);
  });
  socket.on("connect", () => {
    const again = connectedBefore;
    connectedBefore = true;
    statusHandlers.forEach((handler) => handler("connected"));
    connectHandlers.forEach((handler) => handler(again));
  });
  socket.on("disconnect", () => {
    Object.values(rooms).forEach((at) => { at.held = true; });  // until the reconnection's answers
    statusHandlers.forEach((handler) => handler("disconnected"));
  });

  window.CrunchLive = {
    on(event, handler) {
      (handlers[event] = handlers[event] || []).push(handler);
    },
    onConnect(handler) {
      connectHandlers.push(handler);
      if (socket.connected) handler(false);
    },
    onStatus(handler) {
      statusHandlers.push(handler);
      if (socket.connected) handler("connected");
    },
  };
})();
