/**
 * `hash-password`: reads a password from stdin (or makes a random token with `--token`) and prints the line
 * to put in UI_USERS_FILE. Nothing is written anywhere else; the password is never echoed.
 */
import { randomBytes } from 'node:crypto';
import { MAX_PASSWORD_LENGTH, hashPassword } from './passwords';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_PASSWORD_LENGTH + 2)
      throw new Error(`the password is over ${MAX_PASSWORD_LENGTH} characters`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export async function hashPasswordCommand(
  args: readonly string[],
  out: NodeJS.WritableStream,
): Promise<number> {
  const token = args.includes('--token');
  const name = args.find((a) => !a.startsWith('--')) ?? 'NAME';
  if (!token && process.stdin.isTTY) process.stderr.write('Password (then Enter, then Ctrl-D): ');
  const password = token ? randomBytes(24).toString('base64url') : await readStdin();
  if (password.length < 12) {
    process.stderr.write('hash-password: use at least 12 characters (or --token for a random one)\n');
    return 2;
  }
  if (token) out.write(`token for ${name} (give it to them; it is not stored): ${password}\n`);
  out.write(`${JSON.stringify({ name, passwordHash: await hashPassword(password) })}\n`);
  return 0;
}
