// The part of autocannon's programmatic API the proxy bench uses (the package ships no types).
declare module "autocannon" {
  interface Histogram { p50: number; p99: number; average: number }
  interface Result {
    duration: number; "2xx": number; non2xx: number; errors: number; timeouts: number; mismatches?: number;
    latency: Histogram; requests: Histogram;
  }
  interface Options {
    url: string; method?: string; headers?: Record<string, string>; body?: string;
    connections?: number; duration?: number; expectBody?: string;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
