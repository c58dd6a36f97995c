// Mounts GraphiQL on /graphql.
//
// It opens with one tab per example operation (examples.json, the README's examples), each with
// the headers of the demo account it is written for; "Sign in as" at the top right puts a demo
// account's Authorization header into the current tab. Subscriptions run over
// graphql-transport-ws on the same URL, with the tab's headers as connection_init's payload.
//
// URL parameters fill the editors instead: ?query=...&variables=...&operationName=...; adding
// &run executes the operation once GraphiQL is ready.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var fetcher = GraphiQL.createFetcher({
    url: window.location.pathname,
    subscriptionUrl: scheme + window.location.host + window.location.pathname,
  });
  var h = React.createElement;

  function headersFor(token) {
    return token ? JSON.stringify({ Authorization: "Bearer " + token }, null, 2) : "";
  }

  function SignInAs(props) {
    var editors = GraphiQL.React.useEditorContext({ nonNull: true });
    var options = [
      h("option", { key: "choose", value: "choose", disabled: true }, "choose a demo account…"),
      h("option", { key: "", value: "" }, "anonymous (no header)"),
    ].concat(
      props.accounts.map(function (account) {
        return h("option", { key: account.email, value: account.token, title: account.about },
          account.name + " (" + account.email + ")");
      })
    );
    return h("label", { className: "dreams-sign-in" }, "Sign in as ",
      h("select", {
        "aria-label": "Put a demo account's Authorization header into this tab",
        defaultValue: "choose",
        onChange: function (event) {
          if (editors.headerEditor) editors.headerEditor.setValue(headersFor(event.target.value));
        },
      }, options));
  }

  function tabs(examples, accounts) {
    var tokens = {};
    accounts.forEach(function (account) { tokens[account.email.split("@")[0]] = account.token; });
    return examples.map(function (example) {
      var variables = Object.keys(example.variables).length ? JSON.stringify(example.variables, null, 2) : "";
      var headers = headersFor(example.account ? tokens[example.account] : null);
      return { query: example.query, variables: variables, headers: headers };
    });
  }

  function render(examples, accounts) {
    var props = {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
    };
    if (params.has("query")) {
      props.query = params.get("query");
      if (params.has("variables")) props.variables = params.get("variables");
      if (params.has("operationName")) props.operationName = params.get("operationName");
    } else if (examples.length) {
      props.defaultTabs = tabs(examples, accounts);
    }
    var logo = h(GraphiQL.Logo, null, accounts.length ? h(SignInAs, { accounts: accounts }) : "Dreams API");
    var root = ReactDOM.createRoot(document.getElementById("graphiql"));
    root.render(h(GraphiQL, props, logo));
    if (params.has("run")) runWhenReady();
  }

  function runWhenReady() {
    var tries = 0;
    var timer = setInterval(function () {
      var button = document.querySelector(".graphiql-execute-button");
      tries += 1;
      if (button || tries > 200) clearInterval(timer);
      if (button) button.click();
    }, 50);
  }

  function json(url) {
    return fetch(url)
      .then(function (response) { return response.ok ? response.json() : []; })
      .catch(function () { return []; });
  }

  Promise.all([json("/static/graphiql/examples.json"), json("/app/demo-accounts.json")]).then(
    function (loaded) { render(loaded[0], loaded[1]); }
  );
})();
