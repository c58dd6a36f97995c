// Mounts GraphiQL on /graphql. URL parameters fill the editors: ?query=...&variables=...
// &operationName=...; adding &run executes the operation once GraphiQL is ready.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var props = {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
  };
  if (params.has("query")) props.query = params.get("query");
  if (params.has("variables")) props.variables = params.get("variables");
  if (params.has("operationName")) props.operationName = params.get("operationName");
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, props));
  if (!params.has("run")) return;
  var tries = 0;
  var timer = setInterval(function () {
    var button = document.querySelector(".graphiql-execute-button");
    tries += 1;
    if (button || tries > 200) clearInterval(timer);
    if (button) button.click();
  }, 50);
})();
