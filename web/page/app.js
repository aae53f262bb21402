// The page: lessons, the scenario editor with the command line's validation messages, the
// knobs (as --set overrides), predictions, the run in a Web Worker, the results, the charts,
// the cluster view and the timelines, all following one scrubber (docs/browser.md).
/* global drawCharts, parseSeries, drawClusterSvg, drawPartitions, sampleIndexAt */
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
  states: new Map(),   // "acks/seed" -> the run's cluster states
  jobIndex: new Map(), // "acks/seed" -> the run's index in the run set (for its trace)
  traffic: new Map(),  // "acks/seed" -> the traffic counted from its trace, once asked for
};
const TRAFFIC_BUCKET_MS = 100;

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
             series_interval_ms: SERIES_INTERVAL_MS, cluster_states: true};
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

// ---- predictions: the lesson's, or lost_acknowledged per mode ----

/// The value of a lesson's dotted run field in a run of the report: "latency_ms.p50",
/// "consumer_groups.billing.max_lag" (a list's element by its "group" or "name").
function runField(run, field) {
  let value = run;
  for (const key of field.split('.')) {
    if (value == null) return undefined;
    if (Array.isArray(value)) value = value.find((e) => e.group === key || e.name === key);
    else value = value[key];
  }
  return value;
}

/// What the page asks before the run: the scenario's lesson (its question and predictions), or
/// without one how many acknowledged messages each mode checked will lose.
function predictionQuestions() {
  const scenario = parsedScenario();
  const lesson = scenario && scenario.lesson && Array.isArray(scenario.lesson.predictions) ? scenario.lesson : null;
  if (lesson) {
    return {question: lesson.question || '', observe: lesson.observe || '',
            asks: lesson.predictions.map((p) => ({ask: p.ask, field: p.field, mode: p.mode}))};
  }
  return {question: 'How many acknowledged messages will each mode lose (lost_acknowledged)?',
          observe: '',
          asks: checkedModes().map((mode) => ({ask: `${mode}:`, field: 'lost_acknowledged', mode}))};
}

function showPredictionInputs() {
  const box = $('predictions');
  const kept = {};
  for (const input of box.querySelectorAll('input')) kept[input.dataset.key] = input.value;
  box.textContent = '';
  const {question, asks} = predictionQuestions();
  $('predict-question').textContent = question;
  const modes = checkedModes();
  for (const a of asks) {
    const label = document.createElement('label');
    label.className = 'prediction';
    const text = document.createElement('span');
    text.textContent = `${a.ask} `;
    const detail = document.createElement('small');
    detail.textContent = `(${a.field}, acks ${a.mode}${modes.includes(a.mode) ? '' : ': check this mode to run it'})`;
    const input = document.createElement('input');
    input.type = 'number';
    input.step = 'any';
    input.dataset.key = `${a.field}@${a.mode}`;
    input.dataset.field = a.field;
    input.dataset.mode = a.mode;
    input.dataset.ask = a.ask;
    input.value = kept[input.dataset.key] || '';
    label.append(text, input, ' ', detail);
    box.append(label);
  }
  $('predict-box').hidden = !asks.length;
}

function history() {
  try {
    return JSON.parse(localStorage.getItem('kafkasim-predictions') || '[]');
  } catch {
    return [];
  }
}

/// Right: equal for a count, within 10% (or 1 ms) for a time or latency.
function closeEnough(predicted, actual) {
  if (Number.isInteger(actual)) return predicted === actual;
  return Math.abs(predicted - actual) <= Math.max(1, 0.1 * Math.abs(actual));
}

function revealPredictions(report) {
  const reveal = $('reveal');
  reveal.textContent = '';
  const inputs = [...$('predictions').querySelectorAll('input')].filter((i) => i.value !== '');
  const {question, observe} = predictionQuestions();
  if (!inputs.length) return;
  const kept = history();
  const table = document.createElement('table');
  table.id = 'reveal-table';
  table.insertAdjacentHTML('beforeend', '<tr><th>question</th><th>field</th><th>mode</th><th>you said</th><th>it was</th><th></th></tr>');
  for (const input of inputs) {
    const run = report.runs.find((r) => r.acks === input.dataset.mode);
    const actual = run ? runField(run, input.dataset.field) : undefined;
    const predicted = Number(input.value);
    const right = typeof actual === 'number' && closeEnough(predicted, actual);
    const tr = document.createElement('tr');
    tr.className = actual === undefined ? 'not-run' : right ? 'right' : 'wrong';
    tr.dataset.field = input.dataset.field;
    tr.dataset.mode = input.dataset.mode;
    const shown = actual === undefined ? `not run (check ${input.dataset.mode})`
        : Number.isInteger(actual) ? String(actual) : actual.toFixed(3);
    for (const v of [input.dataset.ask, input.dataset.field, input.dataset.mode, String(predicted), shown,
                     actual === undefined ? '' : right ? '✓' : '✗']) {
      tr.append(Object.assign(document.createElement('td'), {textContent: v}));
    }
    tr.querySelectorAll('td')[4].dataset.value = JSON.stringify(actual ?? null);
    table.append(tr);
    if (actual !== undefined) {
      kept.push({lesson: fileLabel(), command: commandLine(), question, ask: input.dataset.ask,
                 field: input.dataset.field, mode: input.dataset.mode, predicted, actual, right,
                 at: new Date().toISOString()});
    }
  }
  reveal.append(Object.assign(document.createElement('h3'), {textContent: `Your predictions: ${question}`}), table);
  if (observe) reveal.append(Object.assign(document.createElement('p'), {className: 'observe', textContent: `Now observe: ${observe}`}));
  try {
    localStorage.setItem('kafkasim-predictions', JSON.stringify(kept.slice(-500)));
  } catch { /* storage refused (private mode): predictions are shown, not kept */ }
  showHistory();
}

function showHistory() {
  const kept = history();
  $('history-box').hidden = !kept.length;
  const table = $('history');
  table.textContent = '';
  table.insertAdjacentHTML('beforeend', '<tr><th>scenario</th><th>question</th><th>field</th><th>mode</th><th>predicted</th><th>actual</th><th></th></tr>');
  for (const k of kept.slice().reverse()) {
    const tr = document.createElement('tr');
    const actual = typeof k.actual === 'number' && !Number.isInteger(k.actual) ? k.actual.toFixed(3) : k.actual;
    const right = k.right ?? k.predicted === k.actual;
    for (const v of [k.lesson, k.ask || '', k.field || 'lost_acknowledged', k.mode, k.predicted, actual, right ? '✓' : '✗']) {
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
  } else if (m.type === 'traffic' || m.type === 'story') {
    tracedAnswer(m);
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

/// The scenario's faults as bands over scenario time, each with the nodes it acts on
/// ("leader-of:orders-0" resolved from the run's states just before the fault starts).
function faultBands(scenario, endS, states) {
  if (!scenario || !Array.isArray(scenario.faults)) return [];
  return scenario.faults.map((f) => {
    const from = (f.at_ms || 0) / 1000;
    const to = f.until_ms !== undefined ? f.until_ms / 1000 : from;
    const named = f.target ? [f.target] : f.targets ? f.targets : f.sides ? f.sides.flat() : [];
    const what = f.target || (f.targets ? f.targets.join(',') : '') ||
                 (f.sides ? f.sides.map((side) => side.join('+')).join(' | ') : '');
    const targets = named.map((t) => resolveTarget(t, states, f.at_ms || 0)).filter(Boolean);
    return {from_s: from, to_s: Math.min(to, endS), label: `${f.type} ${what}`.trim(), type: f.type, targets};
  });
}

function resolveTarget(target, states, atMs) {
  const m = /^leader-of:(.+)$/.exec(target);
  if (!m || !states) return target;
  const p = states.partitions.indexOf(m[1]);
  if (p < 0 || !states.samples.length) return null;
  const before = Math.max(0, sampleIndexAt(states.samples, atMs) - 1);
  const leader = states.samples[before].partitions[p][0];
  return leader >= 0 ? states.nodes[leader] : null;
}

function explore(m) {
  state.runs = parseSeries(m.series);
  state.states = new Map(m.states.map((s) => [`${s.acks}/${s.seed}`, s]));
  state.jobIndex = new Map(m.jobs.map((job, i) => [`${job.acks}/${job.seed}`, i]));
  state.traffic = new Map();
  state.generation = (state.generation || 0) + 1;
  const scenario = parsedScenario();
  const first = [...state.runs.values()][0];
  const endMs = first ? first.times[first.times.length - 1] : 0;
  const firstStates = m.states[0];
  state.faults = faultBands(scenario, endMs / 1000, firstStates);
  $('explore').hidden = false;
  const scrubber = $('scrubber');
  scrubber.max = String(endMs);
  scrubber.step = String(SERIES_INTERVAL_MS);
  const select = $('view-run');
  select.textContent = '';
  for (const key of state.runs.keys()) select.append(new Option(key.replace('/', ', seed '), key));
  state.plots = drawCharts($('charts'), state.runs, state.faults, state.scrub, SERIES_INTERVAL_MS, scrubTo);
  drawTimelines(m.timelines);
  drawLostRecords(state.report);
  scrubTo(0);
  askTraffic();
}

// ---- the traced run: traffic and a record's story (computed by the core, in the worker) ----

const pending = new Map();  // request id -> what it was for

function askTraced(message) {
  const id = nextId++;
  pending.set(id, {...message, generation: state.generation});
  runner.postMessage({id, ...message});
}

/// The traffic of the run shown, from its trace (the worker makes the run again, traced).
function askTraffic() {
  const key = $('view-run').value;
  if (!key || state.traffic.has(key) || !state.jobIndex.has(key)) return;
  state.traffic.set(key, null);  // asked
  askTraced({type: 'traffic', index: state.jobIndex.get(key), bucket_ms: TRAFFIC_BUCKET_MS, key});
}

function tracedAnswer(m) {
  const asked = pending.get(m.id);
  pending.delete(m.id);
  if (!asked || asked.generation !== state.generation) return;  // a run set since replaced
  if (!m.ok) {
    $('status').textContent = `the trace failed: ${m.errors}`;
    return;
  }
  if (m.type === 'traffic') {
    state.traffic.set(asked.key, m.traffic);
    drawClusterView();
  } else {
    showStory(asked, m.story);
  }
}

/// Each run's lost_examples (up to 10 lost acknowledged records); a click tells that record's
/// story (record_story in the core, from the run traced).
function drawLostRecords(report) {
  const lists = $('lost-lists');
  lists.textContent = '';
  $('story').textContent = '';
  $('story-head').textContent = '';
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
      li.dataset.run = `${run.acks}/${run.seed}`;
      li.addEventListener('click', () => {
        for (const other of lists.querySelectorAll('li')) other.classList.remove('chosen');
        li.classList.add('chosen');
        tellStory(`${run.acks}/${run.seed}`, lost.id, lost);
      });
      list.append(li);
    }
    column.append(list);
    lists.append(column);
  }
  $('lost-box').hidden = !any;
  const firstRun = report.runs[0];
  const firstLost = report.runs.flatMap((r) => r.lost_examples || [])[0];
  const producer = parsedScenario()?.producers?.[0]?.name || 'producer';
  const topic = parsedScenario()?.producers?.[0]?.topic || 'topic';
  $('record-id').value = firstLost ? firstLost.id : `${producer}/${firstRun && firstRun.partitions[0] ? firstRun.partitions[0].name : `${topic}-0`}/0`;
}

function tellStory(key, record, lost) {
  if (state.runs.has(key)) {
    $('view-run').value = key;
    drawClusterView();
    askTraffic();
  }
  $('story').textContent = '';
  $('story-head').textContent = `${record}: making ${key.replace('/', ', seed ')} again with its trace…`;
  askTraced({type: 'story', index: state.jobIndex.get(key), record, key, lost});
}

function showStory(asked, story) {
  const list = $('story');
  list.textContent = '';
  const head = $('story-head');
  if (story.error) {
    head.textContent = `${story.id}: ${story.error}`;
    return;
  }
  const lost = asked.lost;
  head.textContent = `${story.id} in the ${asked.key.replace('/', ', seed ')} run: ` +
      (story.offset >= 0 ? `offset ${story.offset} of its partition, appended by ${story.leader}` : 'never appended') +
      (lost ? `; acknowledged at ${(lost.acknowledged_at_ms / 1000).toFixed(3)} s, held then by ${lost.held_by.join(', ')}; ` +
              `lost (the report: removed by ${lost.removed_by})` : '');
  for (const step of story.steps) {
    const li = document.createElement('li');
    li.className = `story-${step.kind}`;
    li.dataset.kind = step.kind;
    li.textContent = `${(step.at_ms / 1000).toFixed(3)} s  ${step.kind}  ${step.text}`;
    li.addEventListener('click', () => scrubTo(step.at_ms / 1000));
    list.append(li);
  }
  if (lost) {
    const li = document.createElement('li');
    li.textContent = `end: missing from the final read of ${lost.partition}: lost although acknowledged`;
    list.append(li);
  }
  const firstStep = story.steps.find((s) => s.kind === 'acknowledged') || story.steps[0];
  if (firstStep) scrubTo(firstStep.at_ms / 1000);
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
    // The verdict, as `--timeline` ends each run: what the mode cost (at the end of the run).
    for (const line of run.verdict || []) {
      const li = Object.assign(document.createElement('li'), {className: 'verdict', textContent: line});
      li.addEventListener('click', () => scrubTo(Number($('scrubber').max) / 1000));
      list.append(li);
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
  // Per run, the latest instant reached: every line at that instant is "now" (several events
  // often share one, e.g. an election and the LeaderAndIsr it sends).
  const latest = new Map();
  for (const item of state.timelineItems) {
    const past = item.seconds <= seconds + 1e-9;
    item.li.classList.toggle('past', past);
    item.li.classList.remove('now');
    if (past) latest.set(item.run, item.seconds);
  }
  for (const item of state.timelineItems) {
    if (latest.has(item.run) && item.seconds === latest.get(item.run)) item.li.classList.add('now');
  }
  drawClusterView();
}

/// The cluster at the scrubber's instant, in the run selected: the first sample at or after
/// it (stepping to an event shows the cluster just after it), every 100 ms.
function drawClusterView() {
  const view = $('cluster-view');
  const partitions = $('partitions-view');
  view.textContent = '';
  partitions.textContent = '';
  const key = $('view-run').value;
  const run = state.runs && state.runs.get(key);
  const states = state.states.get(key);
  if (!run || !states || !states.samples.length) return;
  const ms = state.scrub.seconds * 1000;
  const index = sampleIndexAt(states.samples, ms);
  let seriesIndex = run.times.findIndex((t) => t >= ms - 1e-6);
  if (seriesIndex < 0) seriesIndex = run.times.length - 1;
  const sampled = document.createElement('p');
  sampled.id = 'sampled-at';
  const t = states.samples[index].t;
  const controller = states.samples[index].controller;
  sampled.textContent = `${run.acks}, seed ${run.seed}: the cluster as sampled at ${(t / 1000).toFixed(3)} s ` +
      `(every ${SERIES_INTERVAL_MS} ms); controller ${controller >= 0 ? states.nodes[controller] : 'none'}`;
  view.append(sampled);
  const now = state.faults.filter((f) => f.from_s <= t / 1000 + 1e-9 && t / 1000 < Math.max(f.to_s, f.from_s + 1e-3));
  const faults = $('faults-now');
  faults.textContent = '';
  for (const f of state.faults) {
    const span = document.createElement('span');
    const active = now.includes(f);
    const past = f.to_s <= t / 1000 && !active;
    span.className = `fault ${active ? 'active' : past ? 'ended' : 'coming'}`;
    span.textContent = `${f.label} ${f.from_s.toFixed(1)}–${f.to_s.toFixed(1)} s${active ? ' (now)' : past ? ' (ended)' : ''}`;
    span.addEventListener('click', () => scrubTo(f.from_s));
    faults.append(span);
  }
  const traffic = state.traffic.get(key) || null;
  drawClusterSvg(view, states, index, now, traffic, t);
  drawPartitions(partitions, states, index, run, seriesIndex);
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
$('view-run').addEventListener('change', () => {
  drawClusterView();
  askTraffic();
});
$('tell').addEventListener('click', () => {
  const key = $('view-run').value;
  const record = $('record-id').value.trim();
  const lost = state.report && state.report.runs.find((r) => `${r.acks}/${r.seed}` === key)?.lost_examples?.find((l) => l.id === record);
  if (record && key) tellStory(key, record, lost);
});
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
