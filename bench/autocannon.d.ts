/** The part of autocannon's programmatic API the benchmarks use (the package ships no types). */
declare module 'autocannon' {
  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    headers?: Record<string, string>;
    title?: string;
  }
  /** Percentiles as autocannon reports them: p50, p97_5, p99, p99_9… */
  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
    [percentile: string]: number;
  }
  export interface Result {
    duration: number;
    /** Latency in milliseconds (recorded at 1 ms resolution). */
    latency: Histogram;
    /** Requests completed per second, one sample a second. */
    requests: Histogram & { sent: number };
    /** Bytes per second. */
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
