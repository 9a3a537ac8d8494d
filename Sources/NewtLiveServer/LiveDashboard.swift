/// livesim's dashboard: one self-contained page (no CDN). It subscribes to `/api/v1/stream`
/// (server-sent events) and redraws on every pushed state: per layer, the control charts of
/// estimated dose and focus, CD, LER, LWR (centre, Shewhart limits ±3cσ, EWMA, baseline in grey, alarms in
/// red) and defect counts against the model's expectation; the latest wafer's map of field
/// estimates (dose error, focus or expected defect density); the model's disagreements with the
/// data; the run-to-run dose advice; and the alarm list. `body[data-pushes]` counts the states
/// received (a headless browser waits on it); `/?snapshot=1` closes the stream after the first
/// push so that a headless browser's page settles.
enum LiveDashboard {
    static let html = #"""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>livesim</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{background:#1d2330;color:#fff;padding:10px 18px;display:flex;gap:24px;align-items:baseline;flex-wrap:wrap}
header h1{font-size:18px;margin:0} header span{opacity:.8}
main{padding:12px 18px}
.layer{background:#fff;border:1px solid #dde1e8;border-radius:6px;margin-bottom:14px;padding:10px 14px}
.layer h2{font-size:15px;margin:0 0 6px}
.notes{background:#fff4e5;border-left:4px solid #e8912d;padding:6px 10px;margin:6px 0}
.advice{color:#234;margin:4px 0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:10px}
.chart{border:1px solid #eceff3;border-radius:4px;padding:4px}
.chart h3{font-size:12px;margin:0 0 2px;font-weight:600}
svg text{font:10px system-ui,sans-serif;fill:#556}
.row{display:flex;gap:14px;flex-wrap:wrap;align-items:flex-start}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e3e6eb;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
.critical{color:#b3001b;font-weight:600}.major{color:#c25e00;font-weight:600}.minor{color:#556}
.acked{opacity:.5}
.empty{color:#889;padding:20px}
</style></head>
<body data-pushes="0">
<header><h1>livesim</h1><span id="model">waiting for the first state…</span><span id="updated"></span><span id="status">connecting</span></header>
<main><div id="layers"><div class="empty">No wafers analysed yet. Post measurements to /api/v1/measurements.</div></div>
<h2 style="font-size:15px">Alarms</h2><table id="alarms"><thead><tr><th>time</th><th>layer</th><th>lot/wafer</th><th>chart</th><th>variable</th><th>rule</th><th>severity</th><th>message</th><th>OCAP / acknowledgement</th></tr></thead><tbody></tbody></table>
</main>
<script>
"use strict";
const NS = "http://www.w3.org/2000/svg";
function el(tag, attrs, parent) { const e = document.createElementNS(NS, tag); for (const k in attrs) e.setAttribute(k, attrs[k]); if (parent) parent.appendChild(e); return e; }
function text(s) { return document.createTextNode(s); }
function fmt(x, d) { return (x === null || x === undefined || typeof x !== "number") ? "—" : x.toPrecision(d || 4); }
const names = {dose: "dose error (%)", focus: "focus error (nm)", cd: "CD (nm)", ler: "LER 3σ (nm)", lwr: "LWR 3σ (nm)", defects: "bridges + breaks per wafer"};

function chart(series, alarmed) {
  const W = 330, H = 150, L = 42, R = 6, T = 8, B = 18;
  const svg = el("svg", {width: W, height: H, viewBox: `0 0 ${W} ${H}`});
  const pts = series.points;
  if (!pts.length) { el("text", {x: 60, y: 70}, svg).appendChild(text("no points yet")); return svg; }
  const ys = [], half = p => p.limit !== undefined ? p.limit : 3 * p.sigma;
  for (const p of pts) { ys.push(p.value); if (p.center !== undefined && p.sigma !== undefined) { ys.push(p.center + half(p), p.center - half(p)); } if (p.expected !== undefined) ys.push(p.expected); }
  let lo = Math.min(...ys), hi = Math.max(...ys); if (hi === lo) { hi += 1; lo -= 1; }
  const pad = (hi - lo) * 0.08; lo -= pad; hi += pad;
  const i0 = pts[0].index, i1 = Math.max(pts[pts.length - 1].index, i0 + 1);
  const X = i => L + (W - L - R) * (i - i0) / (i1 - i0), Y = v => T + (H - T - B) * (hi - v) / (hi - lo);
  el("rect", {x: L, y: T, width: W - L - R, height: H - T - B, fill: "#fbfcfd", stroke: "#dde1e8"}, svg);
  for (const v of [lo + pad, (lo + hi) / 2, hi - pad]) { el("text", {x: 2, y: Y(v) + 3}, svg).appendChild(text(fmt(v, 3))); }
  el("text", {x: L, y: H - 4}, svg).appendChild(text("wafer " + i0)); el("text", {x: W - R - 60, y: H - 4}, svg).appendChild(text("wafer " + i1));
  const line = (acc, attrs) => { let d = ""; for (const p of pts) { const v = acc(p); if (v === undefined || v === null) { continue; } d += (d ? "L" : "M") + X(p.index).toFixed(1) + "," + Y(v).toFixed(1); } if (d) el("path", Object.assign({d: d, fill: "none"}, attrs), svg); };
  line(p => p.center, {stroke: "#2a7", "stroke-width": 1});
  line(p => p.sigma !== undefined ? p.center + half(p) : undefined, {stroke: "#d33", "stroke-dasharray": "4 3"});
  line(p => p.sigma !== undefined ? p.center - half(p) : undefined, {stroke: "#d33", "stroke-dasharray": "4 3"});
  line(p => p.expected, {stroke: "#2a7", "stroke-width": 1});
  line(p => p.value, {stroke: "#8aa0c0", "stroke-width": 0.8});
  line(p => p.ewma, {stroke: "#6b3fa0", "stroke-width": 1.6});
  for (const p of pts) {
    const bad = alarmed.has(series.variable + ":" + p.lot + "/" + p.wafer);
    el("circle", {cx: X(p.index), cy: Y(p.value), r: bad ? 3.2 : 2, fill: p.baseline ? "#aab" : bad ? "#d0021b" : "#1f4e99"}, svg);
  }
  return svg;
}

function waferMap(latest, quantity) {
  const S = 230, svg = el("svg", {width: S, height: S + 18, viewBox: `0 0 ${S} ${S + 18}`});
  const c = S / 2, k = (S / 2 - 6) / 150;
  el("circle", {cx: c, cy: c, r: 150 * k, fill: "#f3f5f8", stroke: "#99a"}, svg);
  if (!latest || !latest.fields.length) { el("text", {x: 40, y: c}, svg).appendChild(text("no field estimates")); return svg; }
  const value = f => quantity === "dose" ? f.estimate.dose_error_percent : quantity === "focus" ? f.estimate.focus_error_nm : Math.log10(f.estimate.bridge_density_cm2 + f.estimate.break_density_cm2 + 1e-300);
  const vs = latest.fields.map(value); let lo = Math.min(...vs), hi = Math.max(...vs); if (hi === lo) { hi += 1e-9; }
  for (const f of latest.fields) {
    const t = (value(f) - lo) / (hi - lo), r = Math.round(40 + 200 * t), b = Math.round(220 - 180 * t);
    const rect = el("rect", {x: c + f.x * k - 13 * k, y: c - f.y * k - 16.5 * k, width: 26 * k, height: 33 * k, fill: `rgb(${r},90,${b})`, stroke: "#fff"}, svg);
    el("title", {}, rect).appendChild(text(`die ${f.die}: dose ${fmt(f.estimate.dose_error_percent, 3)} %, focus ${fmt(f.estimate.focus_error_nm, 3)} nm`));
  }
  const unit = quantity === "dose" ? "%" : quantity === "focus" ? "nm" : "log10 /cm²";
  el("text", {x: 4, y: S + 14}, svg).appendChild(text(`${fmt(lo, 3)} (blue) … ${fmt(hi, 3)} (red) ${unit}`));
  return svg;
}

let quantity = "dose";
let lastState = null;
function render(s) {
  lastState = s;
  document.getElementById("model").textContent = "model: " + s.model;
  document.getElementById("updated").textContent = "updated " + s.updated + " · pass " + s.passes;
  const alarmed = new Set(s.alarms.map(a => a.variable + ":" + a.lot + "/" + a.wafer));
  const root = document.getElementById("layers");
  root.textContent = "";
  if (!s.layers.length) { const d = document.createElement("div"); d.className = "empty"; d.textContent = "No wafers analysed yet."; root.appendChild(d); }
  for (const layer of s.layers) {
    const box = document.createElement("section"); box.className = "layer";
    const h = document.createElement("h2"); h.textContent = `Layer ${layer.layer} · ${layer.wafers} wafers`; box.appendChild(h);
    if (layer.notes.length) { const n = document.createElement("div"); n.className = "notes"; n.textContent = "Model vs data: " + layer.notes.join(" · "); box.appendChild(n); }
    const a = document.createElement("div"); a.className = "advice";
    a.textContent = layer.r2r_dose_percent === undefined || layer.r2r_dose_percent === null ? "Run-to-run dose advice: after the baseline." : `Run-to-run dose advice (advisory): change the dose set-point by ${fmt(layer.r2r_dose_percent, 3)} %.`;
    box.appendChild(a);
    const row = document.createElement("div"); row.className = "row";
    const grid = document.createElement("div"); grid.className = "grid"; grid.style.flex = "1";
    for (const series of layer.series) {
      const c = document.createElement("div"); c.className = "chart";
      const t = document.createElement("h3"); t.textContent = names[series.variable] || series.variable; c.appendChild(t);
      c.appendChild(chart(series, alarmed)); grid.appendChild(c);
    }
    const map = document.createElement("div"); map.className = "chart";
    const mt = document.createElement("h3");
    const w = layer.latest; mt.textContent = w ? `Wafer ${w.lot}/${w.wafer}: dose ${fmt(w.estimate.dose_error_percent, 3)} % [${fmt(w.estimate.dose_low, 4)}–${fmt(w.estimate.dose_high, 4)} mJ/cm²], focus ${fmt(w.estimate.focus_error_nm, 3)} nm (sign ${w.estimate.focus_sign})` : "Wafer map";
    map.appendChild(mt);
    const sel = document.createElement("select");
    for (const [v, label] of [["dose", "dose error"], ["focus", "focus error"], ["defects", "expected defect density"]]) { const o = document.createElement("option"); o.value = v; o.textContent = label; if (v === quantity) o.selected = true; sel.appendChild(o); }
    sel.onchange = () => { quantity = sel.value; render(lastState); };
    map.appendChild(sel); map.appendChild(document.createElement("br")); map.appendChild(waferMap(w, quantity));
    row.appendChild(grid); row.appendChild(map); box.appendChild(row); root.appendChild(box);
  }
  const body = document.querySelector("#alarms tbody"); body.textContent = "";
  for (const al of s.alarms) {
    const tr = document.createElement("tr"); if (al.acknowledged_at) tr.className = "acked";
    for (const [v, cls] of [[al.time], [al.layer], [al.lot + "/" + al.wafer], [al.chart], [al.variable], [al.rule], [al.severity, al.severity], [al.message], [al.acknowledged_at ? `acknowledged by ${al.acknowledged_by}: ${al.note}` : al.ocap]]) {
      const td = document.createElement("td"); if (cls) td.className = cls; td.textContent = v; tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  document.body.dataset.pushes = String(Number(document.body.dataset.pushes) + 1);
  document.title = `livesim · ${s.alarms.filter(a => !a.acknowledged_at).length} open alarms`;
}

const source = new EventSource("/api/v1/stream");
// ?snapshot=1: close the stream after the first pushed state (a headless browser's page settles).
const snapshot = new URLSearchParams(location.search).has("snapshot");
source.addEventListener("state", e => {
  document.getElementById("status").textContent = snapshot ? "snapshot" : "live";
  render(JSON.parse(e.data));
  if (snapshot) source.close();
});
source.onerror = () => { document.getElementById("status").textContent = "reconnecting…"; };
</script></body></html>
"""#
}
