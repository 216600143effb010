/**
 * Reads a secret for `credit-gateway secrets set` without showing it: on a
 * terminal, key by key in raw mode (nothing echoed, Backspace works, Ctrl-C
 * aborts); when piped, the first line of standard input. The prompt goes to
 * stderr so stdout stays clean.
 */

export class PromptAborted extends Error {
  constructor() {
    super('cancelled');
    this.name = 'PromptAborted';
  }
}

interface Input extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export function readHidden(prompt: string, input: Input = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  return input.isTTY && input.setRawMode ? readFromTerminal(prompt, input, output) : readFirstLine(input);
}

function readFromTerminal(prompt: string, input: Input, output: NodeJS.WritableStream): Promise<string> {
  output.write(prompt);
  input.setRawMode!(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      input.removeListener('data', onData);
      input.setRawMode!(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new PromptAborted());
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}

function readFirstLine(input: Input): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = () => {
      input.removeListener('data', onData);
      input.removeListener('end', done);
      input.removeListener('error', reject);
      input.pause();
      resolve(text.split('\n')[0]!.replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n')) done();
    };
    input.on('data', onData);
    input.once('end', done);
    input.once('error', reject);
  });
}
