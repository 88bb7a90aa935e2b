using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GpuTrainer.Study;

/// <summary>
/// Writes a study's Slurm jobs: plan.sbatch, cells.sbatch (the array, <c>--array=0-N%K</c>, one task per manifest task),
/// report.sbatch, and submit.sh, which submits the three with their dependencies (cells afterok:plan, report
/// afterany:cells) and prints the job ids. Job logs go to logs/ beside the scripts. The recipe is pinned in the study
/// folder first (study.json), so a folder that holds another study is refused before anything is submitted.
/// </summary>
public static class SlurmScripts
{
    /// <summary>The script that submits the jobs.</summary>
    public const string SubmitScript = "submit.sh";

    /// <summary>Pins the recipe and writes the scripts; returns their folder.</summary>
    public static string Write(SlurmRequest request, TextWriter log)
    {
        request.Validate();
        var folder = StudyPlanner.Pin(request.Study);
        var dir = Path.GetFullPath(request.ScriptDirectory ?? Path.Combine(folder, "slurm"));
        var logs = Directory.CreateDirectory(Path.Combine(dir, "logs")).FullName;
        var threads = request.Study.Threads == 0 ? request.CpusPerTask : request.Study.Threads;
        var commands = new WorkerCommands(request.Program ?? WorkerCommands.CurrentProgram(), folder, request.Study.Device, threads);
        var tasks = StudyPlanner.TaskCount(request.Study);
        var c = CultureInfo.InvariantCulture;

        Save(dir, "plan.sbatch", Job(request, "gputrainer-plan", logs, "%x-%j.out", null, commands.Plan(Path.Combine(folder, StudyFolder.PlanFile))));
        Save(dir, "cells.sbatch", Job(request, "gputrainer-cells", logs, "%x-%A_%a.out", string.Create(c, $"0-{tasks - 1}%{request.MaxParallel}"), commands.Cell()));
        Save(dir, "report.sbatch", Job(request with { Gpus = 0 }, "gputrainer-report", logs, "%x-%j.out", null, commands.Report()));
        Save(dir, SubmitScript, """
            #!/bin/bash
            # Submits the study: the plan, the cell array after it (afterok), the report after the array (afterany).
            set -euo pipefail
            cd "$(dirname "$0")"
            plan=$(sbatch --parsable plan.sbatch)
            cells=$(sbatch --parsable --dependency=afterok:${plan%%;*} cells.sbatch)
            report=$(sbatch --parsable --dependency=afterany:${cells%%;*} report.sbatch)
            echo "plan job ${plan%%;*}, cell array ${cells%%;*}, report job ${report%%;*}"

            """);
        log.WriteLine(string.Create(c, $"slurm: {tasks} array tasks, at most {request.MaxParallel} at once; scripts in {dir}; submit with: bash {WorkerCommands.ShellQuote(Path.Combine(dir, SubmitScript))}"));
        return dir;
    }

    /// <summary>Runs submit.sh in <paramref name="dir"/> and returns what it printed (the job ids).</summary>
    /// <exception cref="ArgumentException">sbatch is not on the PATH.</exception>
    /// <exception cref="SchedulerException">sbatch refused a job.</exception>
    public static string Submit(string dir)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator) ?? [];
        if (!path.Any(p => p.Length > 0 && File.Exists(Path.Combine(p, "sbatch"))))
        {
            throw new ArgumentException("Submitting needs Slurm's sbatch on the PATH; it is not there (the scripts are written, submit them on a login node).");
        }

        var start = new ProcessStartInfo("bash", [Path.Combine(dir, SubmitScript)]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? stdout.Trim()
            : throw new SchedulerException($"sbatch refused the study's jobs (exit {process.ExitCode}): {stderr.Result.Trim().ReplaceLineEndings(" ")}");
    }

    private static string Job(SlurmRequest request, string name, string logs, string logName, string? array, IReadOnlyList<string> command)
    {
        var s = new StringBuilder("#!/bin/bash\n");
        void Directive(string d) => s.Append("#SBATCH ").Append(d).Append('\n');
        Directive($"--job-name={name}");
        Directive($"--output={Path.Combine(logs, logName)}");
        if (array is not null)
        {
            Directive($"--array={array}");
        }

        Directive($"--time={request.Time}");
        Directive(string.Create(CultureInfo.InvariantCulture, $"--cpus-per-task={request.CpusPerTask}"));
        Directive($"--mem={request.Memory}");
        if (request.Partition is { } partition)
        {
            Directive($"--partition={partition}");
        }

        if (request.Gpus > 0)
        {
            Directive(string.Create(CultureInfo.InvariantCulture, $"--gres=gpu:{request.Gpus}"));
        }

        s.Append("set -euo pipefail\n");
        s.Append("exec ").Append(string.Join(' ', command.Select(WorkerCommands.ShellQuote))).Append('\n');
        return s.ToString();
    }

    private static void Save(string dir, string name, string text) => StudyFolder.WriteText(Path.Combine(dir, name), text);
}
