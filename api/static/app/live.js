// A small client of the graphql-transport-ws protocol (what graphql-ws speaks): one socket for
// many subscriptions, the bearer token in connection_init's payload. It reconnects (and
// resubscribes) when the socket drops for a reason other than being refused.
(function () {
  "use strict";

  var REFUSED = { 4400: true, 4401: true, 4403: true, 4406: true, 4409: true, 4429: true };

  function LiveClient(url, token) {
    this.url = url;
    this.token = token;
    this.socket = null;
    this.acknowledged = false;
    this.closed = false;
    this.nextId = 1;
    this.operations = {};
  }

  LiveClient.prototype._send = function (message) {
    if (this.socket && this.acknowledged) this.socket.send(JSON.stringify(message));
  };

  LiveClient.prototype._start = function (id) {
    var op = this.operations[id];
    this._send({ id: id, type: "subscribe", payload: { query: op.query, variables: op.variables } });
  };

  LiveClient.prototype.open = function () {
    var self = this;
    var socket = new WebSocket(this.url, "graphql-transport-ws");
    this.socket = socket;
    socket.onopen = function () {
      var payload = self.token ? { Authorization: "Bearer " + self.token } : {};
      socket.send(JSON.stringify({ type: "connection_init", payload: payload }));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      var op = self.operations[message.id];
      if (message.type === "connection_ack") {
        self.acknowledged = true;
        Object.keys(self.operations).forEach(function (id) { self._start(id); });
      } else if (message.type === "ping") {
        socket.send(JSON.stringify({ type: "pong" }));
      } else if (message.type === "next" && op) {
        op.handlers.next(message.payload);
      } else if ((message.type === "error" || message.type === "complete") && op) {
        delete self.operations[message.id];
        if (message.type === "error" && op.handlers.error) op.handlers.error(message.payload);
        if (op.handlers.complete) op.handlers.complete();
      }
    };
    socket.onclose = function (event) {
      self.acknowledged = false;
      if (self.closed || REFUSED[event.code]) return;
      setTimeout(function () { if (!self.closed) self.open(); }, 2000);
    };
    return this;
  };

  LiveClient.prototype.subscribe = function (query, variables, handlers) {
    var id = String(this.nextId++);
    this.operations[id] = { query: query, variables: variables, handlers: handlers };
    this._start(id);
    var self = this;
    return function unsubscribe() {
      if (!self.operations[id]) return;
      delete self.operations[id];
      self._send({ id: id, type: "complete" });
    };
  };

  LiveClient.prototype.close = function () {
    this.closed = true;
    if (this.socket) this.socket.close(1000, "Normal Closure");
  };

  LiveClient.url = function () {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + "/graphql";
  };

  window.LiveClient = LiveClient;
})();
