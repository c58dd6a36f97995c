// The dashboard page at /app: a signed-in user's active dreams (or, signed out, public dreams),
// each with its decay chart (uPlot), kept current by the dreamProgress subscription.
// `?as=pro` signs in as the demo account whose email starts with "pro" (`&range=LAST_30_DAYS`
// and `&bucket=DAY` pick the chart); a pasted token is kept in this browser's localStorage.
(function () {
  "use strict";

  var CARD =
    "fragment Card on Dream { id title category status isPublic testCount bestScore " +
    "owner { name } latestProgress { averageImpossibility improvementTrend } " +
    "decayChart(range: $range, bucket: $bucket) { trend points { bucketStart average best count } } }";
  // The longest-tested active dreams first: they have the most history to chart.
  var SIGNED_IN =
    "query AppDashboard($range: ChartRange!, $bucket: ChartBucket!) { me { name } " +
    "dashboard(first: 1) { dreamCount totalTests } " +
    "dreams(filter: {mine: true, status: ACTIVE}, sort: OLDEST, first: 12) { edges { node { ...Card } } } } " +
    CARD;
  var SIGNED_OUT =
    "query AppPublicDreams($range: ChartRange!, $bucket: ChartBucket!) { " +
    "dreams(first: 12) { edges { node { ...Card } } } } " + CARD;
  var LIVE =
    "subscription AppLive($id: ID!, $bucket: ChartBucket!) { dreamProgress(dreamId: $id, bucket: $bucket) { " +
    "dream { testCount bestScore } progress { averageImpossibility improvementTrend } " +
    "point { bucketStart average best count } } }";
  var TOKEN_KEY = "dreams.app.token";

  var $ = function (id) { return document.getElementById(id); };
  var state = { token: null, accounts: [], live: null, plots: [] };

  function graphql(query, variables) {
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (state.token) headers.Authorization = "Bearer " + state.token;
    return fetch("/graphql", {
      method: "POST",
      headers: headers,
      body: JSON.stringify({ query: query, variables: variables }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
        return body.data;
      });
    });
  }

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function fixed(value, digits) {
    return value === null || value === undefined ? "–" : value.toFixed(digits);
  }

  function stat(label, value, className) {
    var node = text("div", className || "");
    node.appendChild(text("b", "", value));
    node.appendChild(document.createTextNode(label));
    return node;
  }

  function series(points) {
    var data = [[], [], [], []];
    points.forEach(function (p) {
      data[0].push(Date.parse(p.bucketStart) / 1000);
      data[1].push(p.average);
      data[2].push(p.best);
      data[3].push(p.count);
    });
    return data;
  }

  function chartOptions(width) {
    var font = "11px 'DejaVu Sans', Arial, sans-serif";
    return {
      width: width,
      height: 200,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      legend: { live: false },
      cursor: { show: false },
      scales: {
        x: { time: true },
        y: { range: [0, 100] },
        n: { range: function (u, min, max) { return [0, Math.max(1, max) * 3]; } },
      },
      series: [
        {},
        { label: "average", stroke: "#4f46e5", width: 2, points: { size: 5 } },
        { label: "best", stroke: "#059669", width: 1.2, dash: [5, 4], points: { size: 4 } },
        {
          label: "tests", scale: "n", stroke: "#94a3b8", fill: "rgba(148,163,184,0.3)",
          paths: uPlot.paths.bars({ size: [0.6, 40] }), points: { show: false },
        },
      ],
      axes: [
        { font: font, stroke: "#475569", grid: { show: false } },
        { font: font, stroke: "#475569", size: 36, splits: [0, 25, 50, 75, 100], grid: { stroke: "#e2e8f0" } },
        {
          scale: "n", side: 1, font: font, stroke: "#94a3b8", size: 30, grid: { show: false },
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500],
        },
      ],
    };
  }

  function chartLink(dream, format) {
    var range = $("range").value, bucket = $("bucket").value;
    var url = "/charts/dreams/" + encodeURIComponent(dream.id) + "/decay." + format +
      "?range=" + range + "&bucket=" + bucket;
    var link = text("a", "", format.toUpperCase());
    link.href = url;
    if (!dream.isPublic) {
      // Private: an <a> can't send the token, so fetch the picture and open it as a blob.
      link.addEventListener("click", function (event) {
        event.preventDefault();
        fetch(url, { headers: { Authorization: "Bearer " + state.token } })
          .then(function (response) { return response.blob(); })
          .then(function (blob) { window.open(URL.createObjectURL(blob), "_blank"); });
      });
    }
    return link;
  }

  function fillStats(stats, dream) {
    var progress = dream.latestProgress;
    var trend = dream.decayChart.trend;
    stats.textContent = "";
    stats.appendChild(stat("completed tests", String(dream.testCount)));
    stats.appendChild(stat("best score", fixed(dream.bestScore, 1)));
    stats.appendChild(stat("latest average", progress ? fixed(progress.averageImpossibility, 1) : "–"));
    var trendClass = trend === null ? "" : trend < 0 ? "trend-down" : "trend-up";
    stats.appendChild(stat("trend in range", trend === null ? "–" : fixed(trend, 1) + " %", trendClass));
  }

  function card(dream) {
    var node = text("article", "card");
    node.dataset.dreamId = dream.id;
    node.appendChild(text("h2", "", dream.title));
    var meta = text("div", "meta");
    meta.appendChild(text("span", "badge", dream.category.toLowerCase()));
    meta.appendChild(text("span", dream.isPublic ? "badge" : "badge private", dream.isPublic ? "public" : "private"));
    meta.appendChild(document.createTextNode("by " + dream.owner.name + " "));
    var live = text("span", "live");
    meta.appendChild(live);
    node.appendChild(meta);
    var stats = text("div", "stats");
    fillStats(stats, dream);
    node.appendChild(stats);
    var holder = text("div", "chart");
    node.appendChild(holder);
    var links = text("div", "links");
    links.appendChild(chartLink(dream, "svg"));
    links.appendChild(chartLink(dream, "png"));
    node.appendChild(links);
    return { node: node, holder: holder, stats: stats, live: live, dream: dream };
  }

  function draw(entry) {
    var points = entry.dream.decayChart.points;
    entry.holder.textContent = "";
    if (!points.length) {
      entry.holder.appendChild(text("div", "empty", "No completed tests in this range"));
      entry.plot = null;
      return;
    }
    entry.data = series(points);
    entry.plot = new uPlot(chartOptions(entry.holder.clientWidth || 360), entry.data, entry.holder);
    state.plots.push(entry.plot);
  }

  function applyEvent(entry, event) {
    var dream = entry.dream;
    dream.testCount = event.dream.testCount;
    dream.bestScore = event.dream.bestScore;
    if (event.progress) dream.latestProgress = event.progress;
    var point = event.point;
    if (point) {
      var points = dream.decayChart.points.filter(function (p) { return p.bucketStart !== point.bucketStart; });
      points.push(point);
      points.sort(function (a, b) { return Date.parse(a.bucketStart) - Date.parse(b.bucketStart); });
      dream.decayChart.points = points;
      if (entry.plot) entry.plot.setData(series(points)); else draw(entry);
    }
    fillStats(entry.stats, dream);
    entry.live.textContent = "● updated live";
  }

  function listen(entries) {
    if (state.live) state.live.close();
    if (!entries.length || !window.WebSocket) return;
    state.live = new LiveClient(LiveClient.url(), state.token).open();
    entries.forEach(function (entry) {
      state.live.subscribe(LIVE, { id: entry.dream.id, bucket: $("bucket").value }, {
        next: function (payload) {
          if (payload.data && payload.data.dreamProgress) applyEvent(entry, payload.data.dreamProgress);
        },
        error: function () { entry.live.textContent = ""; },
      });
    });
  }

  function show(dreams, summary) {
    state.plots.forEach(function (plot) { plot.destroy(); });
    state.plots = [];
    $("summary").textContent = summary;
    var grid = $("dreams");
    grid.textContent = "";
    var entries = dreams.map(card);
    entries.forEach(function (entry) { grid.appendChild(entry.node); });
    entries.forEach(draw);
    listen(entries);
    document.body.dataset.ready = "true";
  }

  function load() {
    document.body.dataset.ready = "false";
    var variables = { range: $("range").value, bucket: $("bucket").value };
    var request = state.token
      ? graphql(SIGNED_IN, variables).then(function (data) {
          var d = data.dashboard;
          show(data.dreams.edges.map(function (e) { return e.node; }), "Signed in as " + data.me.name +
            " · " + d.dreamCount + " active dreams · " + d.totalTests + " completed tests");
        })
      : graphql(SIGNED_OUT, variables).then(function (data) {
          show(data.dreams.edges.map(function (e) { return e.node; }), "Public dreams (sign in to see yours)");
        });
    request.catch(function (error) {
      $("summary").textContent = "";
      $("summary").appendChild(text("span", "error", error.message));
      document.body.dataset.ready = "error";
    });
  }

  function signIn(token) {
    state.token = token || null;
    if (token) window.localStorage.setItem(TOKEN_KEY, token); else window.localStorage.removeItem(TOKEN_KEY);
    var match = state.accounts.filter(function (a) { return a.token === token; })[0];
    $("account").value = match ? match.token : "";
    load();
  }

  function start(accounts) {
    state.accounts = accounts;
    accounts.forEach(function (account) {
      var option = text("option", "", account.name + " (" + account.email + ")");
      option.value = account.token;
      $("account").appendChild(option);
    });
    $("account").addEventListener("change", function () { signIn($("account").value); });
    $("signin").addEventListener("submit", function (event) {
      event.preventDefault();
      signIn($("token").value.trim());
      $("token").value = "";
    });
    $("range").addEventListener("change", load);
    $("bucket").addEventListener("change", load);
    var params = new URLSearchParams(window.location.search);
    ["range", "bucket"].forEach(function (name) {
      var value = params.get(name);
      if (value && $(name).querySelector('option[value="' + value + '"]')) $(name).value = value;
    });
    var wanted = params.get("as");
    var chosen = wanted && accounts.filter(function (a) { return a.email.indexOf(wanted + "@") === 0; })[0];
    signIn(chosen ? chosen.token : window.localStorage.getItem(TOKEN_KEY));
  }

  fetch("/app/demo-accounts.json")
    .then(function (response) { return response.ok ? response.json() : []; })
    .catch(function () { return []; })
    .then(start);
})();
