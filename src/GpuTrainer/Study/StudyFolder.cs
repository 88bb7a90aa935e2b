using System.Text;
using GpuTrainer.Logging;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// The layout of a study folder, which every phase (plan, cell, report) and every worker shares:
/// study.json (the pinned recipe), cells.tsv (the cell manifest), lr-find-&lt;opt&gt;/ per range test, one atomic
/// sub-folder per cell, and the workers' bookkeeping: .attempts/&lt;cell&gt;/&lt;worker&gt;.json (who started a cell and,
/// if it failed, why) and .staging/ (cells being trained, renamed into place when done).
/// </summary>
public static class StudyFolder
{
    /// <summary>The file that pins the study's recipe.</summary>
    public const string PlanFile = "study.json";

    /// <summary>The cell manifest (see <see cref="CellManifest"/>).</summary>
    public const string ManifestFile = "cells.tsv";

    /// <summary>What a diverged cell's folder holds instead of a summary.json.</summary>
    internal const string DivergedFile = TrainingRun.DivergedFile;

    internal const string AttemptsFolder = ".attempts";
    internal const string StagingFolder = ".staging";

    /// <summary>The range test's sub-folder for <paramref name="optimizer"/> ("sgd", "adam", "adamw").</summary>
    public static string RangeTest(string folder, string optimizer) => Path.Combine(folder, $"lr-find-{optimizer}");

    /// <summary>The pinned recipe; an <see cref="IOException"/> naming the folder when there is none.</summary>
    internal static StudyPlan ReadPlan(string folder)
    {
        var path = Path.Combine(folder, PlanFile);
        return File.Exists(path)
            ? RunJson.Read<StudyPlan>(path)
            : throw new IOException($"The folder {folder} holds no study plan ({PlanFile}); make one first with `study plan --out {folder}`.");
    }

    /// <summary>The cell manifest; an <see cref="IOException"/> naming the folder when there is none.</summary>
    internal static IReadOnlyList<StudyCell> ReadCells(string folder)
    {
        var path = Path.Combine(folder, ManifestFile);
        return File.Exists(path)
            ? CellManifest.Read(path)
            : throw new IOException($"The folder {folder} holds no cell manifest ({ManifestFile}); its plan has not finished (run `study plan --out {folder}`).");
    }

    /// <summary>Writes a text file atomically (UTF-8, no byte-order mark), replacing one that exists.</summary>
    internal static void WriteText(string path, string text)
    {
        using var file = new StagedFile(path, overwrite: true);
        file.Stream.Write(new UTF8Encoding(false).GetBytes(text));
        file.Commit();
    }
}
