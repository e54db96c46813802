import Foundation
import SPEngine

/// `sptop sweep --slurm`: a job-array script in the sweep's folder, each task one shard
/// (`--shard $((SLURM_ARRAY_TASK_ID + 1))/N`), submitted with `sbatch`.
enum SlurmSubmit {
  /// The script's text (tested; `sptop` is this program's absolute path).
  static func script(
    sweep: SweepFolder, sptop: String, shards: Int, partition: String?, time: String?,
    cpusPerTask: Int, extra: [String]
  ) -> String {
    let folder = URL(fileURLWithPath: sweep.folder).standardizedFileURL.path
    var lines = [
      "#!/bin/bash",
      "# sptop sweep: \(sweep.plan.count) configurations of \(sweep.record.spec) in \(shards) "
        + "array tasks; each task runs one shard. When all have run: sptop sweep collect "
        + shellQuoted(folder),
      "#SBATCH --job-name=sptop-sweep",
      "#SBATCH --array=0-\(shards - 1)",
      "#SBATCH --output=\(folder)/slurm/%A_%a.out",
      "#SBATCH --cpus-per-task=\(cpusPerTask)",
    ]
    if let partition { lines.append("#SBATCH --partition=\(partition)") }
    if let time { lines.append("#SBATCH --time=\(time)") }
    for arg in extra { lines.append("#SBATCH \(arg)") }
    lines += [
      "set -eu",
      "exec \(shellQuoted(sptop)) sweep \(shellQuoted(folder + "/spec.toml")) --out "
        + "\(shellQuoted(folder)) --shard \"$((SLURM_ARRAY_TASK_ID + 1))/\(shards)\" "
        + "--jobs \"${SLURM_CPUS_PER_TASK:-1}\"",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// This program's absolute path (what the array tasks run).
  static var executable: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
  }

  static func submit(
    _ sweep: SweepFolder, shards: Int, partition: String?, time: String?, cpusPerTask: Int,
    extra: [String]
  ) throws {
    for arg in extra where arg.contains("\n") || arg.isEmpty {
      throw CommandFailure(
        message: "--sbatch-arg: '\(OneLine.escaped(arg))': one option per flag, on one line")
    }
    try sweep.noteShards(shards)
    let path = sweep.folder + "/sweep.sbatch"
    let text = script(
      sweep: sweep, sptop: executable, shards: shards, partition: partition, time: time,
      cpusPerTask: cpusPerTask, extra: extra)
    do {
      try FileManager.default.createDirectory(
        atPath: sweep.folder + "/slurm", withIntermediateDirectories: true)
    } catch {
      throw CommandFailure(
        message: "\(sweep.folder)/slurm: cannot be created (\(error.localizedDescription))")
    }
    try sweep.write(Data(text.utf8), to: path)
    guard let sbatch = findExecutable("sbatch") else {
      throw CommandFailure(
        message: "--slurm: sbatch was not found on PATH (Slurm's client, Debian's slurm-client); "
          + "the script is written to \(path): submit it where Slurm runs, or run its shards "
          + "with --shard I/\(shards)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: sbatch)
    process.arguments = ["--parsable", path]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do {
      try process.run()
    } catch {
      throw CommandFailure(
        message: "--slurm: \(sbatch) cannot be started (\(error.localizedDescription))")
    }
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let said = String(decoding: errors, as: UTF8.self).trimmingCharacters(
      in: .whitespacesAndNewlines)
    guard process.terminationStatus == 0 else {
      throw CommandFailure(
        message: "--slurm: sbatch failed (status \(process.terminationStatus)): "
          + (said.isEmpty ? "no message" : said) + "; the script is \(path)")
    }
    let job =
      String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      .split(separator: ";").first.map(String.init) ?? ""
    print(
      "submitted job \(job): \(shards) array tasks for \(sweep.plan.count) configurations (\(path))"
    )
    print("when they have run: sptop sweep collect \(shellQuoted(sweep.folder))")
  }

  /// The first executable `name` on PATH.
  static func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      let candidate = "\(dir)/\(name)"
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }
}
