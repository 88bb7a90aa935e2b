using GpuTrainer.LrFinder;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// A study's range tests, one per optimizer in sub-folder lr-find-&lt;opt&gt;: a finished one (its summary.json) is reused;
/// the others run as one model group (<see cref="GroupLrFinderRun"/>), or one after another when the study trains its
/// cells one at a time (<see cref="StudyRequest.Parallel"/> 1) or only one is left. A curve without a band ends the
/// study with <see cref="LrBandException"/>.
/// </summary>
internal static class StudyRangeTests
{
    /// <summary>Every optimizer's range test in <paramref name="trainings"/>' order, and how many were trained now and reused.</summary>
    public static (IReadOnlyList<LrFindSummary> Summaries, int Trained, int Reused) Run(
        StudyRequest request, string folder, IReadOnlyList<TrainingOptions> trainings, TextWriter log, bool progress)
    {
        var summaries = new LrFindSummary?[trainings.Count];
        var pending = new List<(int Index, LrFindRequest Request)>();
        for (var o = 0; o < trainings.Count; o++)
        {
            var path = Path.Combine(folder, $"lr-find-{trainings[o].Optimizer.ToString().ToLowerInvariant()}");
            var summaryPath = Path.Combine(path, TrainingRun.SummaryFile);
            if (File.Exists(summaryPath))
            {
                var summary = RunJson.Read<LrFindSummary>(summaryPath);
                log.WriteLine($"range test for {summary.Optimizer}: reused {path}");
                log.WriteLine(LrFinderRun.Describe(summary));
                summaries[o] = summary.Suggestions is null ? throw new LrBandException($"{summary.Error} The curve is in {path}.") : summary;
            }
            else
            {
                pending.Add((o, new LrFindRequest(trainings[o], request.Sweep, request.DataDirectory, request.Device, request.Threads, path)));
            }
        }

        if (pending.Count > 1 && request.Parallel != 1)
        {
            var results = GroupLrFinderRun.Execute([.. pending.Select(p => p.Request)], log, progress);
            for (var i = 0; i < pending.Count; i++)
            {
                summaries[pending[i].Index] = results[i];
            }
        }
        else
        {
            foreach (var (index, lrFind) in pending)
            {
                summaries[index] = LrFinderRun.Execute(lrFind, log, progress);
            }
        }

        return ([.. summaries.Select(s => s!)], pending.Count, trainings.Count - pending.Count);
    }
}
