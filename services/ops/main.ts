import { createInterface } from 'node:readline/promises';
import { runOps } from './cli.ts';
import type { OpsIo } from './command.ts';

const io: OpsIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  confirm: async (question) => {
    if (!process.stdin.isTTY) return false;
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
    } finally {
      prompt.close();
    }
  },
  env: process.env,
  stderrIsTTY: process.stderr.isTTY,
};

process.exitCode = await runOps(process.argv.slice(2), io);
