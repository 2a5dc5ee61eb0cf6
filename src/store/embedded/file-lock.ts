import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, statSync } from 'node:fs';

/** Exit code `flock` is told to answer when another holder has the lock. */
const CONFLICT_EXIT_CODE = 75;

type FileLockOutcome = 'locked' | 'busy' | 'unsupported';

/**
 * An open file this process holds an exclusive lock on, recognised by its identity (device and
 * inode) rather than by a path: every path to the file (a symlink, a hard link, a bind mount)
 * meets the same lock, and no lock file beside it can be deleted to get round it.
 *
 * The lock is the operating system's `flock`, taken on this process's own open file description
 * by the `flock` program (util-linux) it is handed to: Node has no flock of its own. The lock
 * belongs to the description, so it stays once that program has exited, lasts while the
 * descriptor is open, and goes when the process dies however it dies. It does not touch the
 * POSIX record locks SQLite takes, so readers (`sqlite3 .backup`, reports) still read the file.
 */
export class LockedFile {
  private constructor(
    private fd: number | null,
    readonly path: string,
    /** False on a machine without the `flock` program: the file is watched, not locked (the caller locks another way). */
    readonly locked: boolean,
    private readonly dev: number,
    private readonly ino: number,
  ) {}

  /** Opens `path` and locks it; `busy` when another process holds it. */
  static open(path: string): LockedFile | 'busy' {
    const fd = openSync(path, 'r');
    let outcome: FileLockOutcome;
    try {
      outcome = lockExclusively(fd);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    if (outcome === 'busy') {
      closeSync(fd);
      return outcome;
    }
    const { dev, ino } = fstatSync(fd);
    return new LockedFile(fd, path, outcome === 'locked', dev, ino);
  }

  /**
   * Whether the file is still the one at `path`: false once it was deleted (its last link gone),
   * moved away, or replaced by another file at `path`. Two system calls.
   */
  stillAtPath(): boolean {
    if (this.fd === null) return false;
    if (fstatSync(this.fd).nlink === 0) return false;
    try {
      const current = statSync(this.path);
      return current.dev === this.dev && current.ino === this.ino;
    } catch {
      return false;
    }
  }

  /** How many names (hard links) the file has. */
  links(): number {
    return this.fd === null ? 0 : fstatSync(this.fd).nlink;
  }

  /** Whether the file SQLite opened at `path` is this one (not one put there in between). */
  isFileAt(path: string): boolean {
    try {
      const current = statSync(path);
      return current.dev === this.dev && current.ino === this.ino;
    } catch {
      return false;
    }
  }

  /** Lets the lock go. */
  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

function lockExclusively(fd: number): FileLockOutcome {
  const run = spawnSync('flock', ['--exclusive', '--nonblock', '--conflict-exit-code', String(CONFLICT_EXIT_CODE), '3'], {
    stdio: ['ignore', 'ignore', 'pipe', fd],
    timeout: 10_000,
  });
  if (run.error) {
    if ((run.error as NodeJS.ErrnoException).code === 'ENOENT') return 'unsupported';
    throw run.error;
  }
  if (run.status === 0) return 'locked';
  if (run.status === CONFLICT_EXIT_CODE) return 'busy';
  throw new Error(`flock failed (exit ${String(run.status)}): ${String(run.stderr).trim()}`);
}
