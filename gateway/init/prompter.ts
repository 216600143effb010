/**
 * The questions `credit-gateway init` asks. On a terminal: a line editor
 * for answers, and secrets typed without being shown (cli-prompt.ts). Piped
 * (a script answering init's questions): one line per answer, in order,
 * secrets included; the questions still go to stderr so a transcript reads
 * right. Input that ends before an answer is INIT_ANSWER_MISSING.
 */
import { createInterface } from 'node:readline/promises';
import { PromptAborted, readHidden } from '../cli-prompt.js';
import { InitError } from './errors.js';

export interface Prompter {
  /** The answer, trimmed; `fallback` (shown in brackets) when the answer is empty. */
  ask(question: string, fallback?: string): Promise<string>;
  /** Typed without being shown; never trimmed. */
  askHidden(question: string): Promise<string>;
  /** Why an answer was not taken, where the questions go. */
  tell(line: string): void;
  close(): void;
}

interface Input extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

const withFallback = (question: string, fallback?: string) => (fallback ? `${question} [${fallback}]: ` : `${question}: `);

export function createPrompter(input: Input = process.stdin, output: NodeJS.WritableStream = process.stderr): Prompter {
  return input.isTTY ? terminalPrompter(input, output) : linePrompter(input, output);
}

function terminalPrompter(input: Input, output: NodeJS.WritableStream): Prompter {
  return {
    async ask(question, fallback) {
      const rl = createInterface({ input, output, terminal: true });
      const aborted = new Promise<never>((_, reject) => rl.once('SIGINT', () => reject(new InitError('INIT_CANCELLED'))));
      try {
        const answer = (await Promise.race([rl.question(withFallback(question, fallback)), aborted])).trim();
        return answer === '' ? (fallback ?? '') : answer;
      } finally {
        rl.close();
      }
    },
    async askHidden(question) {
      try {
        return await readHidden(`${question}: `, input, output);
      } catch (err) {
        throw err instanceof PromptAborted ? new InitError('INIT_CANCELLED') : err;
      }
    },
    tell: (line) => output.write(`${line}\n`),
    close: () => input.pause(),
  };
}

function linePrompter(input: Input, output: NodeJS.WritableStream): Prompter {
  const lines: string[] = [];
  const waiting: { resolve: (line: string | null) => void }[] = [];
  let buffered = '';
  let ended = false;
  const onData = (chunk: Buffer | string) => {
    buffered += chunk.toString();
    let at: number;
    while ((at = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, at).replace(/\r$/, '');
      buffered = buffered.slice(at + 1);
      const next = waiting.shift();
      if (next) next.resolve(line);
      else lines.push(line);
    }
  };
  const onEnd = () => {
    ended = true;
    if (buffered !== '') onData('\n');
    for (const w of waiting.splice(0)) w.resolve(null);
  };
  input.on('data', onData);
  input.once('end', onEnd);
  const next = (question: string): Promise<string> => {
    output.write(question);
    const line = lines.length > 0 ? Promise.resolve(lines.shift()!) : ended ? Promise.resolve(null) : new Promise<string | null>((resolve) => waiting.push({ resolve }));
    return line.then((l) => {
      output.write('\n');
      if (l === null) throw new InitError('INIT_ANSWER_MISSING', `the input ended before "${question.replace(/[:\s]+$/, '')}" was answered`);
      return l;
    });
  };
  return {
    async ask(question, fallback) {
      const answer = (await next(withFallback(question, fallback))).trim();
      return answer === '' ? (fallback ?? '') : answer;
    },
    askHidden: (question) => next(`${question}: `),
    tell: (line) => output.write(`${line}\n`),
    close() {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.pause();
    },
  };
}
