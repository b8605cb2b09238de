// What the figures were measured on: every benchmark prints it, and results.json records it.
import { cpus, loadavg, platform, release, totalmem } from 'node:os';

/** The machine and runtime a benchmark ran on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  node: string;
  os: string;
  memoryGiB: number;
  /** 1-minute load average when the benchmark started: a busy machine explains noisy figures. */
  loadAverage: number;
}

export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    node: process.version,
    os: `${platform()} ${release()}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: Number(loadavg()[0]!.toFixed(2)),
  };
}

export function describeMachine(info: MachineInfo = machineInfo()): string {
  return `${info.cpuModel}, ${info.cores} cores, ${info.memoryGiB} GiB, node ${info.node}, ${info.os}, load ${info.loadAverage}`;
}
