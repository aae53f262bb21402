// `kafkasim run FILE [--acks L] [--seed N] [--seeds N] [--set PTR=VALUE]... [--series-interval-ms N]
//  --json -|--table|--timeline|--series -` through the WebAssembly build, under node:
//   node tests/web/wasm_run.cjs BUILD/kafkasim.js FILE [options]
// It prints what the native command line prints for the same options (the report JSON, the
// table, the timelines or the series CSV) and its errors on stderr with exit status 2, so that
// tests/web/test_wasm_report.sh can compare the two byte for byte.
'use strict';
const fs = require('fs');

function parse(argv) {
  const [moduleFile, file, ...rest] = argv;
  const request = {file, set: [], seeds: 1};
  let output = 'table';
  for (let i = 0; i < rest.length; ++i) {
    const option = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) throw new Error(`${option} needs a value`);
      return rest[++i];
    };
    if (option === '--acks') request.acks = value();
    else if (option === '--seed') request.seed = Number(value());
    else if (option === '--seeds') request.seeds = Number(value());
    else if (option === '--set') request.set.push(value());
    else if (option === '--series-interval-ms') request.series_interval_ms = Number(value());
    else if (option === '--json' && value() === '-') output = 'report';
    else if (option === '--series' && value() === '-') output = 'series';
    else if (option === '--timeline') output = 'table+timelines';
    else throw new Error(`unknown option ${option}`);
  }
  if (output === 'series' && !request.series_interval_ms) request.series_interval_ms = 100;
  return {moduleFile, request, output};
}

async function main() {
  const {moduleFile, request, output} = parse(process.argv.slice(2));
  request.text = fs.readFileSync(request.file, 'utf8');
  const createKafkasim = require(require('path').resolve(moduleFile));
  const sim = await createKafkasim({print: () => {}, printErr: (line) => process.stderr.write(line + '\n')});
  const call = (name, type, args = [], types = args.map(() => 'string')) =>
    sim.ccall(name, type, types, args);
  const runs = call('kafkasim_prepare', 'number', [JSON.stringify(request)]);
  process.stderr.write(call('kafkasim_errors', 'string'));
  if (runs === 0) return 2;
  for (let done = 0; done < runs;) {
    done = call('kafkasim_run_next', 'number');
    if (done < 0) {
      process.stderr.write(call('kafkasim_errors', 'string'));
      return 2;
    }
  }
  if (output === 'table+timelines') {
    process.stdout.write(call('kafkasim_output', 'string', ['table']));
    process.stdout.write(call('kafkasim_output', 'string', ['timelines']));
  } else {
    process.stdout.write(call('kafkasim_output', 'string', [output]));
  }
  return 0;
}

main().then((status) => { process.exitCode = status; }, (error) => {
  process.stderr.write(`wasm_run: ${error.message}\n`);
  process.exitCode = 1;
});
