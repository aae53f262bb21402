// The page: lessons, the scenario editor with the command line's validation messages, the
// knobs (as --set overrides), predictions, the run in a Web Worker, the results, the charts,
// the cluster view and the timelines, all following one scrubber (docs/browser.md).
/* global drawCharts, parseSeries */
'use strict';

const $ = (id) => document.getElementById(id);
const LESSONS = JSON.parse($('lessons').textContent);  // {"leader-crash": "<file text>", ...}
const SERIES_INTERVAL_MS = 100;
const MODES = ['none', 'async', 'isr', 'sync'];

// Two workers on the same module: one validates as the student types, one runs.
const workerUrl = URL.createObjectURL(
    new Blob([$('worker-source').textContent], {type: 'text/javascript'}));
const validator = new Worker(workerUrl);
const runner = new Worker(workerUrl);
let nextId = 1;

const state = {
  lesson: null,   // the lesson's name, or null for a pasted scenario
  result: null,   // the last run's result message
  runs: null,     // its parsed series
  plots: [],
  faults: [],
  scrub: {seconds: 0},
  timelineItems: [],  // [{seconds, li, run}]
  playing: null,
};

// ---- the scenario: lessons, editor, validation ----

function fileLabel() {
  // The report names the file it ran; a shipped lesson, unedited, is named as the command line
  // run from the repository's top would name it, so that the two reports are the same bytes.
  if (state.lesson && $('editor').value === LESSONS[state.lesson]) return `scenarios/${state.lesson}.json`;
  return 'scenario.json';
}

function parsedScenario() {
  try {
    return JSON.parse($('editor').value);
  } catch {
    return null;
  }
}

function selectLesson(name) {
  state.lesson = name;
  $('editor').value = LESSONS[name];
  const scenario = parsedScenario();
  $('lesson-description').textContent = scenario ? scenario.description || '' : '';
  for (const box of $('modes').querySelectorAll('input')) {
    box.checked = scenario && Array.isArray(scenario.acks) ? scenario.acks.includes(box.value)
                                                           : box.value !== 'none';
  }
  for (const id of ['seed', 'min-isr', 'zk-timeout', 'lag-time', 'rate']) $(id).value = '';
  $('unclean').value = '';
  $('seeds').value = 1;
  refresh();
}

function overrides() {
  const set = [];
  const config = (key, value) => set.push(`/cluster/broker_config/${key}=${value}`);
  if ($('min-isr').value) config('min.insync.replicas', $('min-isr').value);
  if ($('unclean').value) config('unclean.leader.election.enable', $('unclean').value);
  if ($('zk-timeout').value) config('zookeeper.session.timeout.ms', $('zk-timeout').value);
  if ($('lag-time').value) config('replica.lag.time.max.ms', $('lag-time').value);
  if ($('rate').value) {
    const scenario = parsedScenario();
    const producers = scenario && Array.isArray(scenario.producers) ? scenario.producers.length : 1;
    for (let i = 0; i < producers; ++i) set.push(`/producers/${i}/rate_per_s=${$('rate').value}`);
  }
  return set;
}

function checkedModes() {
  return [...$('modes').querySelectorAll('input:checked')].map((box) => box.value);
}

function request() {
  const r = {text: $('editor').value, file: fileLabel(), acks: checkedModes().join(','),
             seeds: Number($('seeds').value) || 1, set: overrides(),
             series_interval_ms: SERIES_INTERVAL_MS};
  if ($('seed').value !== '') r.seed = Number($('seed').value);
  return r;
}

function commandLine() {
  const r = request();
  const quote = (s) => (/^[\w./,=:-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  const parts = ['kafkasim', 'run', quote(r.file)];
  if (r.acks) parts.push('--acks', r.acks);
  if (r.seed !== undefined) parts.push('--seed', String(r.seed));
  if (r.seeds > 1) parts.push('--seeds', String(r.seeds));
  for (const s of r.set) parts.push('--set', quote(s));
  parts.push('--timeline');
  return parts.join(' ');
}

function showDiagnostics(message) {
  const list = $('diagnostics');
  list.textContent = '';
  const lines = message.diagnostics.length ? message.diagnostics.map((d) => d)
      : message.errors.split('\n').filter(Boolean).map((line) => ({severity: 'error', line}));
  for (const d of lines) {
    const li = document.createElement('li');
    li.className = d.severity;
    li.textContent = d.line;
    li.addEventListener('click', () => showInEditor(d));
    list.append(li);
  }
  if (message.ok && !lines.length) {
    const li = document.createElement('li');
    li.className = 'ok';
    li.textContent = `OK ${fileLabel()}: ${message.runs} run${message.runs > 1 ? 's' : ''}`;
    list.append(li);
  }
}

/// Selects what a diagnostic is about in the editor: its line and column for malformed JSON,
/// else the last key of its JSON Pointer.
function showInEditor(d) {
  const editor = $('editor');
  const text = editor.value;
  let start = -1;
  let end = -1;
  if (d.position) {
    const lines = text.split('\n');
    start = lines.slice(0, d.position.line - 1).reduce((n, l) => n + l.length + 1, 0) + d.position.column - 1;
    end = start + 1;
  } else if (d.pointer) {
    const key = d.pointer.split('/').pop().replace(/~1/g, '/').replace(/~0/g, '~');
    start = text.indexOf(/^\d+$/.test(key) ? '' : `"${key}"`);
    if (start >= 0) end = start + key.length + 2;
  }
  $('editor-box').open = true;
  if (start >= 0) {
    editor.focus();
    editor.setSelectionRange(start, end);
  }
}

let validateTimer = null;
function refresh() {
  $('command').textContent = commandLine();
  showPredictionInputs();
  clearTimeout(validateTimer);
  validateTimer = setTimeout(() => validator.postMessage({id: nextId++, type: 'validate', request: request()}), 250);
}

validator.onmessage = (event) => {
  if (event.data.type === 'validated') {
    showDiagnostics(event.data);
    if (!state.running) $('run').disabled = !event.data.ok;
  }
};

// ---- predictions ----

function showPredictionInputs() {
  const box = $('predictions');
  const kept = {};
  for (const input of box.querySelectorAll('input')) kept[input.dataset.mode] = input.value;
  box.textContent = '';
  for (const mode of checkedModes()) {
    const label = document.createElement('label');
    label.textContent = `${mode}: `;
    const input = document.createElement('input');
    input.type = 'number';
    input.min = '0';
    input.dataset.mode = mode;
    input.value = kept[mode] || '';
    label.append(input);
    box.append(label);
  }
  $('predict-box').hidden = !checkedModes().length;
}

function history() {
  try {
    return JSON.parse(localStorage.getItem('kafkasim-predictions') || '[]');
  } catch {
    return [];
  }
}

function revealPredictions(report) {
  const reveal = $('reveal');
  reveal.textContent = '';
  const inputs = [...$('predictions').querySelectorAll('input')].filter((i) => i.value !== '');
  if (!inputs.length) return;
  const kept = history();
  const p = document.createElement('p');
  p.append('Your predictions of lost_acknowledged: ');
  for (const input of inputs) {
    const run = report.runs.find((r) => r.acks === input.dataset.mode);
    if (!run) continue;
    const predicted = Number(input.value);
    const right = predicted === run.lost_acknowledged;
    const span = document.createElement('span');
    span.className = right ? 'right' : 'wrong';
    span.textContent = `${run.acks}: you said ${predicted}, it was ${run.lost_acknowledged} ${right ? '✓' : '✗'}   `;
    p.append(span);
    kept.push({lesson: fileLabel(), command: commandLine(), mode: run.acks, predicted,
               actual: run.lost_acknowledged});
  }
  reveal.append(p);
  try {
    localStorage.setItem('kafkasim-predictions', JSON.stringify(kept.slice(-200)));
  } catch { /* storage refused (private mode): predictions are shown, not kept */ }
  showHistory();
}

function showHistory() {
  const kept = history();
  $('history-box').hidden = !kept.length;
  const table = $('history');
  table.textContent = '';
  table.insertAdjacentHTML('beforeend', '<tr><th>scenario</th><th>mode</th><th>predicted</th><th>actual</th></tr>');
  for (const k of kept.slice().reverse()) {
    const tr = document.createElement('tr');
    for (const v of [k.lesson, k.mode, k.predicted, k.actual]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    tr.title = k.command;
    table.append(tr);
  }
}

// ---- running ----

function run() {
  state.running = true;
  $('run').disabled = true;
  $('progress').hidden = false;
  $('progress').value = 0;
  $('status').textContent = 'starting…';
  runner.postMessage({id: nextId++, type: 'run', request: request()});
}

runner.onmessage = (event) => {
  const m = event.data;
  if (m.type === 'ready') {
    $('version').textContent = `${m.version} (WebAssembly)`;
    $('run').textContent = 'Run';
    state.ready = true;
    refresh();
  } else if (m.type === 'progress') {
    const share = m.job.scenario_ms > 0 ? Math.min(1, m.ms / m.job.scenario_ms) : 0;
    $('progress').value = (m.done + share) / m.total;
    $('status').textContent = `run ${m.done + 1} of ${m.total}: ${m.job.acks}, seed ` +
        `${m.job.seed}, ${(m.ms / 1000).toFixed(0)} of ${(m.job.scenario_ms / 1000).toFixed(0)} s simulated…`;
  } else if (m.type === 'result') {
    state.running = false;
    $('run').disabled = false;
    $('progress').hidden = true;
    if (!m.ok) {
      $('status').textContent = 'not run: see the messages under the scenario';
      showDiagnostics(m);
      return;
    }
    $('status').textContent = `${m.jobs.length} run${m.jobs.length > 1 ? 's' : ''} in ${(m.wall_ms / 1000).toFixed(2)} s`;
    document.body.dataset.runWallMs = String(Math.round(m.wall_ms));
    showResult(m);
  }
};

// ---- results ----

const SUMMARY_ROWS = [
  ['produced'], ['acknowledged'], ['failed'], ['lost_acknowledged'], ['duplicates'],
  ['reordered'], ['latency_ms', 'p50'], ['latency_ms', 'p99'], ['latency_ms', 'max'],
  ['offline_ms'], ['leader_elections'], ['unclean_leader_elections'],
  ['controller_elections'], ['isr_shrinks'], ['isr_expands'], ['events'],
];

function showResult(m) {
  state.result = m;
  const report = JSON.parse(m.report);
  state.report = report;
  $('results').hidden = false;
  $('cli-table').textContent = m.table;
  const table = $('summary');
  table.textContent = '';
  const head = document.createElement('tr');
  head.append(Object.assign(document.createElement('th'), {textContent: ''}));
  const several = report.runs.some((r) => r.seed !== report.runs[0].seed);
  for (const r of report.runs) {
    head.append(Object.assign(document.createElement('th'), {textContent: several ? `${r.acks} seed ${r.seed}` : r.acks}));
  }
  table.append(head);
  for (const path of SUMMARY_ROWS) {
    const tr = document.createElement('tr');
    tr.dataset.field = path.join('.');
    tr.append(Object.assign(document.createElement('td'), {textContent: path.join(' ')}));
    let lost = false;
    for (const r of report.runs) {
      const value = path.reduce((v, k) => (v == null ? v : v[k]), r);
      const td = document.createElement('td');
      td.dataset.value = JSON.stringify(value);
      td.textContent = value == null ? '–' : Number.isInteger(value) ? String(value) : value.toFixed(3);
      if (path[0] === 'lost_acknowledged' && value > 0) lost = true;
      tr.append(td);
    }
    if (lost) tr.className = 'lost';
    table.append(tr);
  }
  revealPredictions(report);
  explore(m);
}

$('download').addEventListener('click', () => {
  if (!state.result) return;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([state.result.report], {type: 'application/json'}));
  a.download = `${fileLabel().replace(/^scenarios\//, '').replace(/\.json$/, '')}-report.json`;
  a.click();
});

// ---- stepping through: scrubber, cluster view, charts, timelines ----

function faultBands(scenario, endS) {
  if (!scenario || !Array.isArray(scenario.faults)) return [];
  return scenario.faults.map((f) => {
    const from = (f.at_ms || 0) / 1000;
    const to = f.until_ms !== undefined ? f.until_ms / 1000 : from;
    const what = f.target || (f.targets ? f.targets.join(',') : '') ||
                 (f.sides ? f.sides.map((s) => s.join('+')).join(' | ') : '');
    return {from_s: from, to_s: Math.min(to, endS), label: `${f.type} ${what}`.trim()};
  });
}

function explore(m) {
  state.runs = parseSeries(m.series);
  const scenario = parsedScenario();
  const first = [...state.runs.values()][0];
  const endMs = first ? first.times[first.times.length - 1] : 0;
  state.faults = faultBands(scenario, endMs / 1000);
  $('explore').hidden = false;
  const scrubber = $('scrubber');
  scrubber.max = String(endMs);
  scrubber.step = String(SERIES_INTERVAL_MS);
  const select = $('view-run');
  select.textContent = '';
  for (const key of state.runs.keys()) select.append(new Option(key.replace('/', ', seed '), key));
  state.plots = drawCharts($('charts'), state.runs, state.faults, state.scrub, SERIES_INTERVAL_MS, scrubTo);
  drawTimelines(m.timelines);
  drawLostRecords(state.report, m.timelines);
  scrubTo(0);
}

/// Each run's lost_examples (up to 10 lost acknowledged records); a click tells that record's
/// story from the report and the timeline: acknowledged when and held by whom, then each
/// truncation that removed it, each step a link to its instant.
function drawLostRecords(report, timelines) {
  const lists = $('lost-lists');
  lists.textContent = '';
  $('story').textContent = '';
  let any = false;
  for (const run of report.runs) {
    if (!run.lost_examples || !run.lost_examples.length) continue;
    any = true;
    const column = document.createElement('div');
    column.append(Object.assign(document.createElement('h4'), {
      textContent: `${run.acks}, seed ${run.seed}: ${run.lost_acknowledged} lost`}));
    const list = document.createElement('ul');
    for (const lost of run.lost_examples) {
      const li = document.createElement('li');
      li.textContent = `${lost.id} (offset ${lost.offset})`;
      li.dataset.record = lost.id;
      li.addEventListener('click', () => {
        for (const other of lists.querySelectorAll('li')) other.classList.remove('chosen');
        li.classList.add('chosen');
        tellStory(run, lost, timelines.find((t) => t.acks === run.acks && t.seed === run.seed));
      });
      list.append(li);
    }
    column.append(list);
    lists.append(column);
  }
  $('lost-box').hidden = !any;
}

function tellStory(run, lost, timeline) {
  $('view-run').value = `${run.acks}/${run.seed}`;
  const story = $('story');
  story.textContent = '';
  const step = (seconds, text) => {
    const li = document.createElement('li');
    li.textContent = seconds === null ? text : `${seconds.toFixed(3)} s  ${text}`;
    if (seconds !== null) li.addEventListener('click', () => scrubTo(seconds));
    story.append(li);
  };
  const acked = lost.acknowledged_at_ms / 1000;
  step(acked, `${lost.id} acknowledged to its producer (acks=${run.acks}) at offset ${lost.offset} ` +
       `of ${lost.partition}, held then by ${lost.held_by.join(', ')}`);
  for (const removal of lost.removed_by.split('; ')) {
    const at = /at (-?[\d.]+) s/.exec(removal);
    const seconds = at ? Number(at[1]) : null;
    const line = seconds === null || !timeline ? null : timeline.lines.find((l) => {
      const m = /^\s*(-?[\d.]+) s\s/.exec(l);
      return m && Math.abs(Number(m[1]) - seconds) < 0.0005 && /truncat/.test(l);
    });
    step(seconds, `removed: ${removal}${line ? ` — ${line.trim().replace(/^[\d.]+ s\s+/, '')}` : ''}`);
  }
  step(null, `missing from the final read of ${lost.partition}: lost although acknowledged`);
  scrubTo(acked);
}

function drawTimelines(timelines) {
  const box = $('timelines');
  box.textContent = '';
  state.timelineItems = [];
  for (const run of timelines) {
    const column = document.createElement('div');
    column.append(Object.assign(document.createElement('h4'), {textContent: `${run.acks}, seed ${run.seed}`}));
    const list = document.createElement('ol');
    list.dataset.run = `${run.acks}/${run.seed}`;
    for (const line of run.lines) {
      const li = document.createElement('li');
      li.textContent = line;
      const match = /^\s*(-?[\d.]+) s\s/.exec(line);
      const seconds = match ? Number(match[1]) : Infinity;
      li.addEventListener('click', () => scrubTo(seconds === Infinity ? Number($('scrubber').max) / 1000 : seconds));
      list.append(li);
      state.timelineItems.push({seconds, li, run: list.dataset.run});
    }
    column.append(list);
    box.append(column);
  }
}

function scrubTo(seconds) {
  const max = Number($('scrubber').max) / 1000;
  seconds = Math.max(0, Math.min(max, seconds));
  state.scrub.seconds = seconds;
  $('scrubber').value = String(Math.round(seconds * 1000));
  $('scrub-time').textContent = `${seconds.toFixed(3)} s`;
  for (const plot of state.plots) plot.redraw(false, false);
  const lastPast = new Map();
  for (const item of state.timelineItems) {
    const past = item.seconds <= seconds + 1e-9;
    item.li.classList.toggle('past', past);
    item.li.classList.remove('now');
    if (past) lastPast.set(item.run, item);
  }
  for (const item of lastPast.values()) item.li.classList.add('now');
  drawClusterView();
}

function valueAt(run, metric, subject, index) {
  const bySubject = run.metrics.get(metric);
  const series = bySubject && bySubject.get(subject);
  return series ? series[index] : undefined;
}

/// Brokers up or down, and per partition each replica's log end offset as a bar with the
/// high watermark marked, as the series sampled them at the first sample at or after the
/// scrubber (selected run): stepping to an event shows the cluster just after it.
function drawClusterView() {
  const view = $('cluster-view');
  view.textContent = '';
  const run = state.runs && state.runs.get($('view-run').value);
  if (!run) return;
  const ms = state.scrub.seconds * 1000;
  let index = run.times.findIndex((t) => t >= ms - 1e-6);
  if (index < 0) index = run.times.length - 1;
  const sampled = document.createElement('p');
  sampled.id = 'sampled-at';
  sampled.textContent = `${run.acks}, seed ${run.seed}: the cluster as sampled at ` +
      `${(run.times[index] / 1000).toFixed(3)} s (every ${SERIES_INTERVAL_MS} ms)`;
  view.append(sampled);
  const brokers = run.metrics.get('broker_up') ? [...run.metrics.get('broker_up').keys()] : [];
  for (const broker of brokers) {
    const up = valueAt(run, 'broker_up', broker, index) === 1;
    const node = document.createElement('div');
    node.className = `node${up ? '' : ' down'}`;
    node.dataset.node = broker;
    node.innerHTML = `<h4></h4><div>${up ? 'up' : 'down'}</div>`;
    node.querySelector('h4').textContent = broker;
    view.append(node);
  }
  const partitions = run.metrics.get('isr_size') ? [...run.metrics.get('isr_size').keys()] : [];
  const leo = run.metrics.get('log_end_offset') || new Map();
  for (const partition of partitions) {
    const box = document.createElement('div');
    box.className = 'partition-box';
    box.dataset.partition = partition;
    const hw = valueAt(run, 'high_watermark', partition, index);
    const isr = valueAt(run, 'isr_size', partition, index);
    const title = document.createElement('h4');
    title.textContent = `${partition}: ISR size ${isr ?? '–'}, high watermark ${hw ?? 'none (no leader)'}`;
    box.append(title);
    const replicas = [...leo.keys()].filter((s) => s.startsWith(`${partition}/`));
    const top = Math.max(1, hw || 0, ...replicas.map((s) => valueAt(run, 'log_end_offset', s, index) || 0));
    for (const subject of replicas) {
      const end = valueAt(run, 'log_end_offset', subject, index) || 0;
      const row = document.createElement('div');
      row.className = 'replica';
      row.textContent = `${subject.split('/')[1]}: log end offset ${end}`;
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.innerHTML = `<div class="leo" style="width:${(100 * end) / top}%"></div>` +
          (hw != null ? `<div class="hw" style="left:${(100 * hw) / top}%" title="high watermark"></div>` : '');
      box.append(row, bar);
    }
    view.append(box);
  }
}

function stepEvent(direction) {
  const run = $('view-run').value;
  const times = state.timelineItems.filter((i) => i.run === run && i.seconds !== Infinity).map((i) => i.seconds);
  const now = state.scrub.seconds;
  const next = direction > 0 ? times.find((t) => t > now + 1e-6) : times.filter((t) => t < now - 1e-6).pop();
  if (next !== undefined) scrubTo(next);
}

function togglePlay() {
  if (state.playing) {
    clearInterval(state.playing);
    state.playing = null;
    $('play').textContent = 'Play';
    return;
  }
  $('play').textContent = 'Pause';
  const max = Number($('scrubber').max) / 1000;
  if (state.scrub.seconds >= max) scrubTo(0);
  // Ten seconds of scenario time per second of wall time.
  state.playing = setInterval(() => {
    if (state.scrub.seconds >= max) return togglePlay();
    scrubTo(state.scrub.seconds + 1);
  }, 100);
}

// ---- wiring ----

for (const name of Object.keys(LESSONS)) $('lesson').append(new Option(name, name));
$('lesson').addEventListener('change', () => selectLesson($('lesson').value));
$('editor').addEventListener('input', () => {
  if (state.lesson && !LESSONS[state.lesson]) state.lesson = null;
  refresh();
});
$('revert').addEventListener('click', () => selectLesson($('lesson').value));
for (const input of document.querySelectorAll('#knobs-pane input, #knobs-pane select')) {
  if (!input.closest('#predictions')) input.addEventListener('input', refresh);
}
$('run').addEventListener('click', run);
$('scrubber').addEventListener('input', () => scrubTo(Number($('scrubber').value) / 1000));
$('view-run').addEventListener('change', drawClusterView);
$('play').addEventListener('click', togglePlay);
$('next-event').addEventListener('click', () => stepEvent(1));
$('prev-event').addEventListener('click', () => stepEvent(-1));
$('clear-history').addEventListener('click', () => {
  try { localStorage.removeItem('kafkasim-predictions'); } catch { /* nothing kept */ }
  showHistory();
});
const initial = location.hash.slice(1);
$('lesson').value = LESSONS[initial] ? initial : LESSONS['leader-crash'] ? 'leader-crash' : Object.keys(LESSONS)[0];
selectLesson($('lesson').value);
showHistory();
