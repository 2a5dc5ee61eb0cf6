/** An entry of a {@link DeadlineQueue}: the queue keeps its position in `queueIndex`. */
export interface Deadlined {
  deadline: number;
  queueIndex: number;
}

/**
 * A binary min-heap of entries by deadline that knows where each entry sits, so a deadline can
 * move (an extended hold) or an entry leave (a confirmed hold) in O(log n) without leaving
 * stale entries behind.
 */
export class DeadlineQueue<T extends Deadlined> {
  private readonly heap: T[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  has(entry: T): boolean {
    return this.heap[entry.queueIndex] === entry;
  }

  /** Adds the entry, or moves it if it is already queued. */
  schedule(entry: T, deadline: number): void {
    entry.deadline = deadline;
    if (this.has(entry)) {
      this.siftUp(entry.queueIndex);
      this.siftDown(entry.queueIndex);
      return;
    }
    entry.queueIndex = this.heap.length;
    this.heap.push(entry);
    this.siftUp(entry.queueIndex);
  }

  remove(entry: T): void {
    if (!this.has(entry)) return;
    const index = entry.queueIndex;
    const last = this.heap.pop() as T;
    entry.queueIndex = -1;
    if (last === entry) return;
    this.heap[index] = last;
    last.queueIndex = index;
    this.siftUp(index);
    this.siftDown(last.queueIndex);
  }

  /** Removes and returns the earliest entry whose deadline is at or before `now`. */
  popDue(now: number): T | undefined {
    const head = this.heap[0];
    if (head === undefined || head.deadline > now) return undefined;
    this.remove(head);
    return head;
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as T;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as T;
      if (parent.deadline <= entry.deadline) break;
      heap[index] = parent;
      parent.queueIndex = index;
      index = parentIndex;
    }
    heap[index] = entry;
    entry.queueIndex = index;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const length = heap.length;
    const entry = heap[index] as T;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && (heap[right] as T).deadline < (heap[left] as T).deadline) child = right;
      const smaller = heap[child] as T;
      if (smaller.deadline >= entry.deadline) break;
      heap[index] = smaller;
      smaller.queueIndex = index;
      index = child;
    }
    heap[index] = entry;
    entry.queueIndex = index;
  }
}
