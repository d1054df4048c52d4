// CrunchLive: the page's one connection to the server's live events (Socket.IO, /live).
// The server puts the connection in the rooms the user may see; pages only listen.
//   CrunchLive.on(event, handler)     handler(payload) for each event of that name
//   CrunchLive.onConnect(handler)     handler(isReconnection) after every (re)connection:
//                                     a page refetches its state there, so nothing is missed
//   CrunchLive.onStatus(handler)      handler("connected" | "disconnected")
(function () {
  "use strict";
  if (typeof io === "undefined") return;
  const socket = io("/live");
  const connectHandlers = [];
  const statusHandlers = [];
  let connectedBefore = false;

  socket.on("connect", () => {
    const again = connectedBefore;
    connectedBefore = true;
    statusHandlers.forEach((handler) => handler("connected"));
    connectHandlers.forEach((handler) => handler(again));
  });
  socket.on("disconnect", () => statusHandlers.forEach((handler) => handler("disconnected")));

  window.CrunchLive = {
    on(event, handler) {
      socket.on(event, handler);
    },
    onConnect(handler) {
      connectHandlers.push(handler);
      if (socket.connected) handler(false);
    },
    onStatus(handler) {
      statusHandlers.push(handler);
    },
  };
})();
