// Prometheus-style metrics: request counts by endpoint, outcome and response code, and a latency
// histogram of the synchronous answer.

const BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Array<number>(BUCKETS_MS.length + 1).fill(0);
  private latencySum = 0;
  private latencyCount = 0;
  private readonly started = Date.now();

  record(endpoint: string, responseCode: string, milliseconds: number): void {
    const key = `endpoint="${endpoint}",code="${responseCode}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const bucket = BUCKETS_MS.findIndex((limit) => milliseconds <= limit);
    this.latency[bucket === -1 ? BUCKETS_MS.length : bucket]! += 1;
    this.latencySum += milliseconds;
    this.latencyCount += 1;
  }

  render(): string {
    const lines = [
      "# HELP opendcc_requests_total DUIS requests answered, by endpoint and response code.",
      "# TYPE opendcc_requests_total counter",
      ...[...this.requests].map(([labels, count]) => `opendcc_requests_total{${labels}} ${count}`),
      "# HELP opendcc_request_duration_ms Time to the synchronous answer.",
      "# TYPE opendcc_request_duration_ms histogram",
    ];
    let cumulative = 0;
    BUCKETS_MS.forEach((limit, i) => {
      cumulative += this.latency[i] ?? 0;
      lines.push(`opendcc_request_duration_ms_bucket{le="${limit}"} ${cumulative}`);
    });
    lines.push(`opendcc_request_duration_ms_bucket{le="+Inf"} ${this.latencyCount}`);
    lines.push(`opendcc_request_duration_ms_sum ${this.latencySum}`, `opendcc_request_duration_ms_count ${this.latencyCount}`);
    lines.push("# HELP opendcc_uptime_seconds Seconds since the gateway started.", "# TYPE opendcc_uptime_seconds gauge", `opendcc_uptime_seconds ${(Date.now() - this.started) / 1000}`);
    return `${lines.join("\n")}\n`;
  }
}
