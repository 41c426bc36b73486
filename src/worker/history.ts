/**
 * A bounded metric history: hours of training keep at most `capacity` points. When full,
 * every other point is dropped and only every `stride`-th new point is kept, so the curve
 * stays evenly sampled over the whole run at a fixed memory cost.
 */
export class BoundedHistory<T> {
  private points: T[] = [];
  private stride = 1;
  private offered = 0;

  constructor(private readonly capacity = 1000) {
    if (capacity < 2) throw new Error('capacity must be at least 2');
  }

  push(point: T): void {
    this.offered += 1;
    if ((this.offered - 1) % this.stride !== 0) return;
    this.points.push(point);
    if (this.points.length >= this.capacity) {
      this.points = this.points.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  /** The newest kept point. */
  get latest(): T | undefined {
    return this.points[this.points.length - 1];
  }

  toArray(): T[] {
    return [...this.points];
  }

  clear(): void {
    this.points = [];
    this.stride = 1;
    this.offered = 0;
  }
}
