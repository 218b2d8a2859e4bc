// Zaiko 運用モニタ: loads /api/ops/snapshot, then follows /api/ops/stream (Server-Sent Events).
"use strict";
(function () {
  const key = new URLSearchParams(location.search).get("key");
  const withKey = (path) => (key ? `${path}?key=${encodeURIComponent(key)}` : path);
  const KINDS = { ALLOCATION_FAILED: "引当失敗", PROCESSING_DELAYED: "受払処理の遅延",
                  SITE_SILENT: "拠点死活", AGGREGATE_PARKED: "集約の停止" };
  const STATES = { RAISED: "発生", CLEARED: "解消" };
  const METRICS = [
    ["commands-per-s", "commands_per_s", (v) => v.toFixed(2)],
    ["commands-total", "commands_total", (v) => String(Math.round(v))],
    ["latency-p50", "latency_p50_s", seconds],
    ["latency-p99", "latency_p99_s", seconds],
    ["projection-lag-events", "projection_lag_events", (v) => String(Math.round(v))],
    ["projection-lag-seconds", "projection_lag_seconds", seconds],
    ["bridge-lag-seconds", "bridge_lag_seconds", seconds],
    ["consumer-lag", "consumer_lag", (v) => String(Math.round(v))],
  ];
  const SPARKS = { "commands-per-s": "commands_per_s", "latency-p99": "latency_p99_s",
                   "projection-lag-seconds": "projection_lag_seconds",
                   "bridge-lag-seconds": "bridge_lag_seconds", "consumer-lag": "consumer_lag" };
  let points = [];
  let historySize = 300;
  const $ = (id) => document.getElementById(id);

  function seconds(v) { return v < 1 ? `${Math.round(v * 1000)} ms` : `${v.toFixed(2)} 秒`; }
  function num(v) { return v === null || v === undefined ? "—" : Number(v).toLocaleString("ja-JP"); }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k.startsWith("data-") || k === "id" || k === "class" || k === "title") node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  function time(iso) {
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleString("ja-JP", { hour12: false });
  }

  let readmodelAt = 0;  // the newest read model shown: an older one (a slow snapshot) is not
  function renderZones(readmodel) {
    if ((readmodel.at || 0) < readmodelAt) return;
    readmodelAt = readmodel.at || readmodelAt;
    const error = $("readmodel-error");
    error.hidden = !readmodel.error;
    error.textContent = readmodel.error ? `読み取りモデルに接続できません: ${readmodel.error}` : "";
    const body = $("zones").tBodies[0];
    const rows = [];
    let current = null;
    for (const z of readmodel.zones || []) {
      const code = String(z["倉庫コード"]).trim();
      if (code !== current) {
        current = code;
        const inWarehouse = readmodel.zones.filter((x) => String(x["倉庫コード"]).trim() === code);
        const total = (f) => inWarehouse.reduce((s, x) => s + Number(x[f] || 0), 0);
        rows.push(el("tr", { class: "warehouse", "data-warehouse": code },
          el("td", { colSpan: 4 }, `${code} ${z["倉庫名"] || ""}`),
          el("td", { class: "num", "data-field": "在庫数", "data-value": total("現在庫数") }, num(total("現在庫数"))),
          el("td", { class: "num" }, num(total("引当済数"))),
          el("td", { class: "num", "data-field": "有効在庫数", "data-value": total("有効在庫数") }, num(total("有効在庫数"))),
          el("td", {}, ""), el("td", {}, "")));
      }
      const zoneId = `${code}-${z["区画番号"]}`;
      const ratio = z["使用率"];
      const bar = el("span", { class: "bar" }, el("span", {
        class: ratio >= 1 ? "full" : ratio >= 0.8 ? "high" : "",
        style: "" }));
      bar.firstChild.style.width = `${Math.min(100, Math.max(0, (ratio || 0) * 100))}%`;
      rows.push(el("tr", { id: `zone-${zoneId}`, "data-zone": zoneId },
        el("td", {}, code), el("td", {}, z["区画番号"]), el("td", {}, z["区画名"] || "—"),
        el("td", {}, z["区画タイプ"] || "—"),
        el("td", { class: "num", "data-field": "在庫数", "data-value": z["現在庫数"] }, num(z["現在庫数"])),
        el("td", { class: "num", "data-field": "引当済数", "data-value": z["引当済数"] }, num(z["引当済数"])),
        el("td", { class: "num", "data-field": "有効在庫数", "data-value": z["有効在庫数"] }, num(z["有効在庫数"])),
        el("td", { class: "num", "data-field": "区画容量", "data-value": z["区画容量"] ?? "" }, num(z["区画容量"])),
        el("td", { "data-field": "区画稼働率", "data-value": ratio ?? "" }, bar,
          ratio === null || ratio === undefined ? "—" : `${(ratio * 100).toFixed(1)}%`)));
    }
    body.replaceChildren(...rows);
    renderParked(readmodel.parked);
    if (readmodel.at) $("updated-at").textContent = time(readmodel.at);
  }

  function renderParked(parked) {
    const total = $("parked-total");
    total.dataset.value = parked ? parked.total : "";
    total.textContent = parked ? String(parked.total) : "—";
    const items = (parked && parked.aggregates) || [];
    $("parked").replaceChildren(...items.map((p) => el("li", { "data-aggregate": p.aggregate_id },
      `${p.aggregate_id} (${p.aggregate_type}) シーケンス番号 ${p.sequence_nr} 試行 ${p.attempts} 回: ${p.reason}`)));
  }

  function spark(values) {
    const w = 160, h = 30;
    const known = values.filter((v) => v !== null && v !== undefined);
    const max = Math.max(1e-9, ...known);
    let d = "", pen = false;
    values.forEach((v, i) => {
      if (v === null || v === undefined) { pen = false; return; }
      const x = values.length < 2 ? w : (i / (values.length - 1)) * w;
      const y = h - 2 - (v / max) * (h - 4);
      d += `${pen ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)} `;
      pen = true;
    });
    return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img">` +
      `<path d="${d}" fill="none" stroke="#1f6fb2" stroke-width="1.5"/></svg>`;
  }

  function renderMetrics(endpoints) {
    const last = points[points.length - 1] || {};
    for (const [id, field, format] of METRICS) {
      const node = $(`m-${id}`);
      const v = last[field];
      node.dataset.value = v === null || v === undefined ? "" : String(v);
      node.textContent = v === null || v === undefined ? "—" : format(v);
    }
    for (const [id, field] of Object.entries(SPARKS)) {
      $(`s-${id}`).innerHTML = spark(points.map((p) => p[field]));
    }
    if (endpoints) {
      const down = endpoints.filter((e) => !e.up);
      const summary = $("endpoints-summary");
      summary.dataset.down = String(down.length);
      summary.textContent = down.length ? `${down.length}/${endpoints.length} 停止: ${down.map((e) => e.url).join(", ")}`
        : `${endpoints.length} 件すべて応答`;
      $("endpoints").replaceChildren(...endpoints.map((e) => el("li",
        { "data-url": e.url, "data-up": String(e.up) }, e.up ? `${e.url} 応答` : `${e.url} 停止 (${e.error})`)));
    }
  }

  function feedItem(item) {
    if (item.type === "alert") {
      return el("li", { class: "alert", "data-alert-id": item.id, "data-product": item.product_id,
                        "data-zone": item.zone_id, "data-available": item.available },
        el("span", { class: "at" }, time(item.occurred_at)),
        `${item.product_id} 倉庫 ${item.warehouse_id} 区画 ${item.zone_id}: 有効在庫数 ${item.available} (閾値 ${item.threshold})`);
    }
    return el("li", { class: `${item.severity} ${item.state}`, "data-notification-id": item.id,
                      "data-kind": item.kind, "data-state": item.state },
      el("span", { class: "at" }, time(item.occurred_at)),
      `[${KINDS[item.kind] || item.kind}・${STATES[item.state] || item.state}] ${item.title}: ${item.message}`);
  }

  function addFeed(item, newestFirst) {
    const list = $(item.type === "alert" ? "alerts" : "notifications");
    const attr = item.type === "alert" ? "data-alert-id" : "data-notification-id";
    if (list.querySelector(`[${attr}="${CSS.escape(item.id)}"]`)) return;
    if (newestFirst) list.prepend(feedItem(item)); else list.append(feedItem(item));
    while (list.children.length > 200) list.lastChild.remove();
  }

  async function loadSnapshot() {
    const response = await fetch(withKey("/api/ops/snapshot"), { cache: "no-store" });
    if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
    const snap = await response.json();
    historySize = Math.max(2, Math.round(snap.history_s / snap.scrape_interval_s));
    $("history-minutes").textContent = String(Math.round(snap.history_s / 60));
    const link = $("link-command-graphiql");
    link.href = `${location.protocol}//${location.hostname}:${snap.command_api_port}/api/graphql`;
    points = snap.metrics.points;
    renderMetrics(snap.metrics.endpoints);
    renderZones(snap.readmodel);
    $("alerts").replaceChildren(); $("notifications").replaceChildren();
    for (const item of snap.feed) addFeed(item, false);
    document.body.dataset.loaded = "true";
  }

  function follow() {
    const source = new EventSource(withKey("/api/ops/stream"));
    const connection = $("connection");
    const counted = (handler) => (e) => {
      handler(JSON.parse(e.data));
      document.body.dataset.sseEvents = String(Number(document.body.dataset.sseEvents) + 1);
    };
    source.addEventListener("hello", () => {
      connection.dataset.state = "open"; connection.textContent = "ライブ更新中";
      // catch up on what was published before this stream was open: between the first
      // snapshot and the first connection too, not only across a reconnection
      loadSnapshot().catch((err) => console.error(err));
    });
    source.addEventListener("readmodel", counted(renderZones));
    source.addEventListener("metrics", counted((u) => {
      points.push(u.point);
      if (points.length > historySize) points = points.slice(points.length - historySize);
      renderMetrics(u.endpoints);
    }));
    source.addEventListener("feed", counted((item) => addFeed(item, true)));
    source.onerror = () => { connection.dataset.state = "closed"; connection.textContent = "再接続中…"; };
  }

  loadSnapshot().catch((err) => console.error(err)).finally(follow);
})();
