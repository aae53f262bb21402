// The page's Web Worker: runs the simulator (kafkasim.js, the WebAssembly build, which
// web/build.sh places before this file in the worker's source) off the page's thread, so that
// a long run never freezes the page. Messages in: {id, type: 'validate' | 'run', request}, or
// {id, type: 'story', index, record} and {id, type: 'traffic', index, bucket_ms};
// out: {id, type: 'validated', ...}, {id, type: 'progress', ...}, {id, type: 'result', ...};
// after a run, {id, type: 'story' | 'traffic', index, ...} answer the same (see traced()).
/* global createKafkasim */
'use strict';

// Where a run in progress is: set before each run, told the scenario time as it goes.
let running = null;
const simulator = createKafkasim({
  print: () => {},
  printErr: () => {},
  onProgress: (ms) => {
    if (running) postMessage({...running, type: 'progress', ms});
  },
});

function call(sim, name, returns, ...args) {
  return sim.ccall(name, returns, args.map((a) => (typeof a === 'number' ? 'number' : 'string')),
                   args);
}

function prepare(sim, request) {
  const runs = call(sim, 'kafkasim_prepare', 'number', JSON.stringify(request));
  return {
    runs,
    errors: call(sim, 'kafkasim_errors', 'string'),
    diagnostics: JSON.parse(call(sim, 'kafkasim_diagnostics', 'string', request.file)),
  };
}

/// A record's story and the traffic come from run `index` of the last run set made again with
/// its trace (the same run: runs are deterministic); the module keeps the traced run.
function traced(sim, message) {
  const {id, type, index} = message;
  if (call(sim, 'kafkasim_trace_run', 'number', index) !== 1) {
    postMessage({id, type, index, ok: false, errors: call(sim, 'kafkasim_errors', 'string')});
  } else if (type === 'story') {
    postMessage({id, type, index, ok: true,
                 story: JSON.parse(call(sim, 'kafkasim_story', 'string', index, message.record))});
  } else {
    postMessage({id, type, index, ok: true,
                 traffic: JSON.parse(call(sim, 'kafkasim_traffic', 'string', index, message.bucket_ms))});
  }
}

async function handle(message) {
  const sim = await simulator;
  const {id, type, request} = message;
  if (type === 'story' || type === 'traffic') return traced(sim, message);
  const prepared = prepare(sim, request);
  if (type === 'validate' || prepared.runs === 0) {
    postMessage({id, type: type === 'validate' ? 'validated' : 'result', ok: prepared.runs > 0,
                 ...prepared});
    return;
  }
  const jobs = [];
  for (let i = 0; i < prepared.runs; ++i) jobs.push(JSON.parse(call(sim, 'kafkasim_job', 'string', i)));
  const started = performance.now();
  for (let i = 0; i < prepared.runs; ++i) {
    running = {id, done: i, total: prepared.runs, job: jobs[i]};
    postMessage({...running, type: 'progress', ms: 0});
    const done = call(sim, 'kafkasim_run_next', 'number');
    running = null;
    if (done < 0) {
      postMessage({id, type: 'result', ok: false, errors: call(sim, 'kafkasim_errors', 'string'),
                   diagnostics: []});
      return;
    }
  }
  const wall_ms = performance.now() - started;
  const output = (name) => call(sim, 'kafkasim_output', 'string', name);
  postMessage({
    id, type: 'result', ok: true, jobs, wall_ms,
    errors: prepared.errors,
    diagnostics: prepared.diagnostics,
    report: output('report'),
    table: output('table'),
    timelines: JSON.parse(output('timeline_runs')),
    series: output('series'),
    states: request.cluster_states ? JSON.parse(output('cluster_states')) : [],
  });
}

// One message at a time, in order: a run is synchronous inside the module anyway.
let queue = Promise.resolve();
onmessage = (event) => {
  queue = queue.then(() => handle(event.data)).catch((error) => {
    postMessage({id: event.data.id, type: 'result', ok: false,
                 errors: `kafkasim: internal error in the page: ${error.message}\n`, diagnostics: []});
  });
};
postMessage({type: 'loading'});
simulator.then((sim) => postMessage({type: 'ready', version: call(sim, 'kafkasim_version', 'string')}));
