using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// The workers' record of unfinished cells, .attempts/&lt;cell&gt;/&lt;worker&gt;.json: written when a worker starts a
/// cell, given the error when training fails (or when the scheduler stops the worker with SIGTERM), and removed once
/// the cell is finished. A record without an error whose cell has no result is a worker that was killed outright
/// (SIGKILL, e.g. out of memory) or still runs.
/// </summary>
internal static class CellAttempts
{
    /// <summary>What one worker's record holds.</summary>
    /// <param name="Worker">Who started the cell (<see cref="CellWorker.Description"/>).</param>
    /// <param name="Started">When, in UTC.</param>
    /// <param name="Error">Why training failed; null while it runs (or after it was killed).</param>
    internal sealed record Attempt(string Worker, DateTimeOffset Started, string? Error);

    /// <summary>Records that <paramref name="worker"/> starts <paramref name="cell"/>.</summary>
    public static void Start(string folder, StudyCell cell, CellWorker worker, Attempt attempt) => Save(folder, cell, worker, attempt);

    /// <summary>Adds why it failed to <paramref name="worker"/>'s record of <paramref name="cell"/>.</summary>
    public static void Fail(string folder, StudyCell cell, CellWorker worker, Attempt attempt, string error) =>
        Save(folder, cell, worker, attempt with { Error = error });

    /// <summary>Removes every record of a finished cell.</summary>
    public static void Clear(string folder, StudyCell cell)
    {
        var path = Folder(folder, cell);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>Why an unfinished cell has no result: "never started", its failures, or the workers that left no result.</summary>
    public static string Describe(string folder, StudyCell cell)
    {
        var path = Folder(folder, cell);
        var attempts = Directory.Exists(path)
            ? Directory.GetFiles(path, "*.json").Select(RunJson.Read<Attempt>).OrderBy(a => a.Started).ToList()
            : [];
        return attempts.Count == 0
            ? "missing: never started"
            : string.Join("; ", attempts.Select(a => a.Error is { } error
                ? $"failed: {error} ({a.Worker}, started {a.Started:u})"
                : $"no result: {a.Worker} started it {a.Started:u} and was killed (or still runs)"));
    }

    private static void Save(string folder, StudyCell cell, CellWorker worker, Attempt attempt) =>
        RunJson.Write(Path.Combine(Directory.CreateDirectory(Folder(folder, cell)).FullName, $"{worker.Id}.json"), attempt);

    private static string Folder(string folder, StudyCell cell) => Path.Combine(folder, StudyFolder.AttemptsFolder, cell.Name);
}
