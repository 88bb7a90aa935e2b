using System.Globalization;

namespace GpuTrainer.Study;

/// <summary>Who trains a cell: the scheduler's job and task when there is one, the host and the process.</summary>
/// <param name="Id">A file-name-safe identity, unique among workers: "&lt;host&gt;-&lt;pid&gt;-&lt;random&gt;".</param>
/// <param name="Description">"slurm job 41_3 on node7, pid 1234", "pod study-cells-3-x7k2p, pid 1", or "host box, pid 1234".</param>
public sealed record CellWorker(string Id, string Description)
{
    /// <summary>A new worker in this process, described from the environment that <paramref name="environment"/> reads.</summary>
    public static CellWorker Current(Func<string, string?> environment)
    {
        var host = Environment.MachineName;
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var safe = new string([.. host.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_')]);
        var where = (environment("SLURM_ARRAY_JOB_ID"), environment("SLURM_ARRAY_TASK_ID"), environment("SLURM_JOB_ID"), environment("JOB_COMPLETION_INDEX")) switch
        {
            ({ } job, { } task, _, _) => $"slurm job {job}_{task} on {host}",
            (_, _, { } job, _) => $"slurm job {job} on {host}",
            (_, _, _, { }) => $"pod {host}",
            _ => $"host {host}",
        };
        return new CellWorker($"{safe}-{pid}-{Guid.NewGuid().ToString("N")[..8]}", $"{where}, pid {pid}");
    }

    /// <summary>
    /// The array task to train: <paramref name="index"/> when given, else SLURM_ARRAY_TASK_ID, else Kubernetes'
    /// JOB_COMPLETION_INDEX; an <see cref="ArgumentException"/> when none is set or a value is not a task number.
    /// </summary>
    /// <summary>
    /// The worker of a single-machine <c>study</c>: one fixed id, so that a study run again on the same folder continues
    /// an interrupted cell from the checkpoint in its staging folder (cluster workers have unique ids and start afresh).
    /// </summary>
    public static CellWorker Local { get; } = new("local", $"this machine ({Environment.MachineName}), pid {Environment.ProcessId}");

    public static int TaskIndex(int? index, Func<string, string?> environment)
    {
        if (index is { } given)
        {
            return given >= 0 ? given : throw new ArgumentException($"The cell index must be 0 or more, got {given}.");
        }

        foreach (var name in new[] { "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX" })
        {
            if (environment(name) is { } value)
            {
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var task)
                    ? task
                    : throw new ArgumentException($"{name} is '{value}', not an array task number.");
            }
        }

        throw new ArgumentException("No cell index: give --index N, or run as a Slurm array task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX).");
    }
}
