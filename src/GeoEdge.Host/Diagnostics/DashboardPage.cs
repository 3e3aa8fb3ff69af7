namespace GeoEdge.Host.Diagnostics;

/// <summary>The one self-contained page served at GET /: status polled from /api/v1/status, detections streamed over SSE.</summary>
/// <remarks>No CDN, fonts or frameworks: the device may have no internet and the page must work from the board itself.
/// Data goes into the DOM only through textContent, so a label or pipeline name cannot inject markup.</remarks>
internal static class DashboardPage
{
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GeoEdge diagnostics</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #fafafa; }
  h1 { font-size: 1.3em; margin: 0 0 .2em; } h2 { font-size: 1.05em; margin: 1.4em 0 .4em; }
  table { border-collapse: collapse; background: #fff; min-width: 40em; }
  th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: left; font-variant-numeric: tabular-nums; }
  th { background: #f0f0f0; } .late, .bad { color: #b00020; } .ok { color: #1b7f3b; } .muted { color: #777; }
</style>
</head>
<body>
<h1>GeoEdge <span id="device">…</span></h1>
<div><span id="board" class="muted"></span> · up <span id="uptime">–</span> · EP <span id="ep">–</span> ·
  <span id="ready">–</span> · stream <span id="stream" class="muted">connecting</span></div>
<h2>Pipelines</h2>
<table id="pipelines"><thead><tr><th>pipeline</th><th>model</th><th>version</th><th>last tick</th><th>inferences</th><th>errors</th><th>rejections</th><th>OOD</th><th>anomalies</th><th>mean latency (ms)</th></tr></thead><tbody></tbody></table>
<h2>Models</h2>
<table id="models"><thead><tr><th>model</th><th>active</th><th>previous</th><th>loaded</th></tr></thead><tbody></tbody></table>
<h2>Recent detections</h2>
<table id="events"><thead><tr><th>time</th><th>pipeline</th><th>model</th><th>kind</th><th>label / sensors</th><th>probability</th><th>latency (ms)</th><th>detail</th></tr></thead><tbody></tbody></table>
<script>
"use strict";
const MAX_EVENTS = 50;
const $ = id => document.getElementById(id);
function row(cells, cls) {
  const tr = document.createElement("tr");
  if (cls) tr.className = cls;
  for (const c of cells) { const td = document.createElement("td"); td.textContent = c === null || c === undefined ? "" : String(c); tr.appendChild(td); }
  return tr;
}
function fill(tbody, rows) { tbody.replaceChildren(...rows); }
function ms(us) { return us === null || us === undefined ? "" : (us / 1000).toFixed(2); }
function time(t) { return t ? new Date(t).toLocaleTimeString() : "never"; }
function render(s) {
  $("device").textContent = s.device;
  $("board").textContent = s.board.name + " (" + s.board.arch + ", " + s.board.accelerator + ")";
  $("uptime").textContent = Math.round(s.uptimeSeconds) + " s";
  $("ep").textContent = s.executionProvider;
  $("ready").textContent = s.ready ? "ready" : "not ready";
  $("ready").className = s.ready ? "ok" : "bad";
  fill($("pipelines").tBodies[0], s.pipelines.map(p => row([p.name, p.model, p.version, time(p.lastTick), p.inferences, p.errors, p.rejections, p.outOfDistribution, p.anomalies, ms(p.meanLatencyUs)], p.late || p.failing ? "late" : "")));
  fill($("models").tBodies[0], s.models.map(m => row([m.name, m.active, m.previous, m.loaded ? "yes" : "no"])));
}
function eventRow(e) {
  const what = e.anomalousSensors ? e.anomalousSensors.join(", ") : e.label;
  const p = e.probability === undefined || e.probability === null ? "" : e.probability.toFixed(3);
  return row([time(e.time), e.pipeline, e.model + "@" + e.version, e.kind, what, p, ms(e.latencyUs), e.detail], e.kind === "classification" ? "" : "late");
}
function addEvent(e) {
  const body = $("events").tBodies[0];
  body.insertBefore(eventRow(e), body.firstChild);
  while (body.rows.length > MAX_EVENTS) body.deleteRow(body.rows.length - 1);
}
async function poll() {
  try { const r = await fetch("/api/v1/status", { cache: "no-store" }); if (r.ok) render(await r.json()); }
  catch (err) { $("ready").textContent = "unreachable"; $("ready").className = "bad"; }
  setTimeout(poll, 2000);
}
async function start() {
  try {
    const r = await fetch("/api/v1/events?limit=" + MAX_EVENTS, { cache: "no-store" });
    if (r.ok) fill($("events").tBodies[0], (await r.json()).map(eventRow));
  } catch (err) { /* the stream below still delivers new events */ }
  const source = new EventSource("/api/v1/events");
  source.onopen = () => { $("stream").textContent = "live"; $("stream").className = "ok"; };
  source.onerror = () => { $("stream").textContent = "reconnecting"; $("stream").className = "bad"; };
  source.onmessage = m => addEvent(JSON.parse(m.data));
  poll();
}
start();
</script>
</body>
</html>
""";
}
