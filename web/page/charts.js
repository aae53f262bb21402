// The page's charts: the runs' --series (tidy CSV) drawn with uPlot, one line per mode, fault
// bands labelled on every chart, and a vertical line at the scrubber's instant.
/* global uPlot */
'use strict';

const MODE_COLOURS = {none: '#7f7f7f', async: '#d62728', isr: '#1f77b4', sync: '#2ca02c'};

/// Tidy CSV (acks,seed,time_ms,metric,subject,value) to
/// runs: Map "acks/seed" -> {acks, seed, times: [ms], at: Map ms -> index,
///                            metrics: Map metric -> Map subject -> Array(values, null = no row)}
function parseSeries(csv) {
  const runs = new Map();
  const lines = csv.split('\n');
  for (let i = 1; i < lines.length; ++i) {
    if (!lines[i]) continue;
    const [acks, seed, time, metric, subject, value] = lines[i].split(',');
    const key = `${acks}/${seed}`;
    let run = runs.get(key);
    if (!run) {
      run = {acks, seed: Number(seed), times: [], at: new Map(), metrics: new Map()};
      runs.set(key, run);
    }
    const t = Number(time);
    let index = run.at.get(t);
    if (index === undefined) {
      index = run.times.length;
      run.times.push(t);
      run.at.set(t, index);
    }
    if (!run.metrics.has(metric)) run.metrics.set(metric, new Map());
    const bySubject = run.metrics.get(metric);
    if (!bySubject.has(subject)) bySubject.set(subject, []);
    bySubject.get(subject)[index] = Number(value);
  }
  return runs;
}

/// One value per sample time: `combine` over the metric's subjects (null where none has a row).
function combined(run, metric, combine) {
  const bySubject = run.metrics.get(metric);
  return run.times.map((_, i) => {
    if (!bySubject) return null;
    const values = [];
    for (const series of bySubject.values()) {
      if (series[i] !== undefined) values.push(series[i]);
    }
    return values.length ? combine(values) : null;
  });
}

const sum = (values) => values.reduce((a, b) => a + b, 0);

/// The charts the page draws; each: title, metric, how subjects combine, a unit scale.
function chartSpecs(intervalMs) {
  return [
    {title: 'Acknowledgements per second (all producers)', metric: 'acked',
     combine: (v) => sum(v) * 1000 / intervalMs},
    {title: 'Producer latency, p99 over each interval (ms, worst producer)',
     metric: 'latency_p99_ms', combine: (v) => Math.max(...v)},
    {title: 'ISR size (smallest over partitions; 0 = no leader)', metric: 'isr_size',
     combine: (v) => Math.min(...v)},
    {title: 'Consumer lag (messages, all groups)', metric: 'consumer_lag', combine: sum},
  ];
}

/// Draws the fault bands (before the lines) and the scrubber's line (after them).
function overlayHooks(faults, scrub) {
  return {
    drawClear: [(u) => {
      const ctx = u.ctx;
      ctx.save();
      faults.forEach((fault, n) => {
        const from = u.valToPos(fault.from_s, 'x', true);
        const to = u.valToPos(fault.to_s, 'x', true);
        ctx.fillStyle = n % 2 ? 'rgba(255, 152, 0, 0.15)' : 'rgba(244, 67, 54, 0.12)';
        ctx.fillRect(from, u.bbox.top, Math.max(2, to - from), u.bbox.height);
        ctx.fillStyle = '#8a4b00';
        ctx.textAlign = 'left';
        ctx.textBaseline = 'alphabetic';
        ctx.font = `${11 * devicePixelRatio}px sans-serif`;
        ctx.fillText(fault.label, from + 3, u.bbox.top + (12 + 12 * (n % 3)) * devicePixelRatio);
      });
      ctx.restore();
    }],
    draw: [(u) => {
      const x = u.valToPos(scrub.seconds, 'x', true);
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.restore();
    }],
  };
}

/// Hex colour with an alpha.
function faded(colour, alpha) {
  const n = parseInt(colour.slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/// Draws every chart into `container`, one line per mode: the run's values with one seed, and
/// with several seeds their mean, with a band from the smallest to the largest value of the
/// seeds at each instant. Returns the uPlot objects (redraw them when the scrubber moves).
/// `onPick(seconds)`: a click on a chart.
function drawCharts(container, runs, faults, scrub, intervalMs, onPick) {
  container.textContent = '';
  const byMode = new Map();
  for (const run of runs.values()) {
    if (!byMode.has(run.acks)) byMode.set(run.acks, []);
    byMode.get(run.acks).push(run);
  }
  if (!byMode.size) return [];
  const first = [...runs.values()][0];
  const times = first.times.map((ms) => ms / 1000);
  const several = [...byMode.values()].some((list) => list.length > 1);
  if (several) {
    const note = document.createElement('p');
    note.className = 'legend';
    note.textContent = 'Several seeds: each line is the mean over the seeds of its mode, the band ' +
        'the smallest to the largest seed at each instant.';
    container.append(note);
  }
  const plots = [];
  for (const spec of chartSpecs(intervalMs)) {
    const box = document.createElement('div');
    box.className = 'chart';
    box.dataset.seeds = String(Math.max(...[...byMode.values()].map((l) => l.length)));
    const title = document.createElement('h4');
    title.textContent = spec.title;
    box.append(title);
    container.append(box);
    const data = [times];
    const series = [{label: 'time (s)', value: (u, v) => (v == null ? '' : v.toFixed(1))}];
    const bands = [];
    const value = (u, v) => (v == null ? '–' : Number(v.toFixed(2)).toString());
    for (const [acks, list] of byMode) {
      const colour = MODE_COLOURS[acks] || '#444444';
      const lines = list.map((run) => combined(run, spec.metric, spec.combine));
      if (lines.length === 1) {
        data.push(lines[0]);
        series.push({label: acks, stroke: colour, width: 1.5, value});
        continue;
      }
      const at = (i) => lines.map((l) => l[i]).filter((v) => v != null);
      const mean = times.map((_, i) => { const v = at(i); return v.length ? v.reduce((x, y) => x + y, 0) / v.length : null; });
      const low = times.map((_, i) => { const v = at(i); return v.length ? Math.min(...v) : null; });
      const high = times.map((_, i) => { const v = at(i); return v.length ? Math.max(...v) : null; });
      const base = data.length;
      data.push(mean, high, low);
      series.push({label: `${acks} mean of ${lines.length} seeds`, stroke: colour, width: 2, value},
                  {label: `${acks} max`, stroke: faded(colour, 0.35), width: 0.5, value},
                  {label: `${acks} min`, stroke: faded(colour, 0.35), width: 0.5, value});
      bands.push({series: [base + 1, base + 2], fill: faded(colour, 0.12)});
    }
    const plot = new uPlot({
      width: Math.max(360, box.clientWidth || 520), height: 190,
      series, bands, scales: {x: {time: false}},
      axes: [{label: 'scenario time (s)', size: 40}, {size: 60}],
      cursor: {sync: {key: 'kafkasim'}, drag: {x: false, y: false}},
      legend: {live: true},
      hooks: overlayHooks(faults, scrub),
    }, data, box);
    plot.over.addEventListener('click', () => {
      if (plot.cursor.left >= 0) onPick(plot.posToVal(plot.cursor.left, 'x'));
    });
    plots.push(plot);
  }
  return plots;
}
