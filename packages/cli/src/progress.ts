// Progress of long work (cli-contract.md): a bar redrawn in place on a terminal, plain lines at
// every tenth of the way when standard error is not a terminal. Standard output stays for the
// command's JSON.
export interface Progress {
  update(done: number): void;
  finish(): void;
}

export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const width = 30;
  let lastTenth = -1;
  const line = (done: number) => `${label} ${done.toLocaleString("en-GB")}/${total.toLocaleString("en-GB")} (${Math.floor((100 * done) / total)}%)`;
  return {
    update(done) {
      if (stream.isTTY) {
        const filled = Math.round((width * done) / total);
        stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${line(done)}`);
        return;
      }
      const tenth = Math.floor((10 * done) / total);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${line(done)}\n`);
      }
    },
    finish() {
      if (stream.isTTY) stream.write("\n");
    },
  };
}
