using GpuTrainer.LrFinder;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// A study's range tests, one per optimizer in sub-folder lr-find-&lt;opt&gt;: a finished one (its summary.json) is reused;
/// the others run as one model group (<see cref="LrFindRun"/>, one member each), or one after another when the study trains its
/// cells one at a time (<see cref="StudyRequest.Parallel"/> 1) or only one is left. A curve without a band ends the
/// study with <see cref="LrBandException"/>.
/// </summary>
internal static class StudyRangeTests
{
    /// <summary>Every optimizer's range test in the request's order, and how many were trained now and reused.</summary>
    public static (IReadOnlyList<LrFindSummary> Summaries, int Trained, int Reused) Run(StudyRequest request, string folder, TextWriter log, bool progress)
    {
        var optimizers = request.Optimizers;
        var summaries = new LrFindSummary?[optimizers.Count];
        var pending = new List<(int Index, LrFindRequest Request)>();
        for (var o = 0; o < optimizers.Count; o++)
        {
            var path = StudyFolder.RangeTest(folder, OptionNames.Of(optimizers[o]));
            var summaryPath = Path.Combine(path, TrainingRun.SummaryFile);
            if (File.Exists(summaryPath))
            {
                var summary = RunJson.Read<LrFindSummary>(summaryPath);
                log.WriteLine($"range test for {summary.Optimizer}: reused {path}");
                log.WriteLine(LrFindRun.Describe(summary));
                summaries[o] = summary.Suggestions is null ? throw new LrBandException($"{summary.Error} The curve is in {path}.") : summary;
            }
            else
            {
                pending.Add((o, request.RangeTest(optimizers[o], path)));
            }
        }

        if (pending.Count > 1 && request.Parallel != 1)
        {
            var results = LrFindRun.Execute([.. pending.Select(p => p.Request)], log, progress);
            for (var i = 0; i < pending.Count; i++)
            {
                summaries[pending[i].Index] = results[i];
            }
        }
        else
        {
            foreach (var (index, lrFind) in pending)
            {
                summaries[index] = LrFindRun.Execute([lrFind], log, progress)[0];
            }
        }

        return ([.. summaries.Select(s => s!)], pending.Count, optimizers.Count - pending.Count);
    }
}
