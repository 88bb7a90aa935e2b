using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// The study's first phase: checks the request, pins its recipe in study.json (a folder that holds another recipe is
/// refused), runs each optimizer's range test (or reuses a finished one) and writes the cell manifest, cells.tsv:
/// every optimizer x schedule x candidate rate with its array task.
/// </summary>
public static class StudyPlanner
{
    /// <param name="request">The study.</param>
    /// <param name="log">Where progress lines go.</param>
    /// <param name="progress">Show the range tests' progress bars on standard output.</param>
    public static StudyPlanResult Plan(StudyRequest request, TextWriter log, bool progress = false)
    {
        request.Validate();
        RunData.Load(request.DataDirectory).CheckModel(request.ResolveModel(), request.Batch);   // before the folder is made
        var folder = Pin(request);
        var (rangeTests, trained, reused) = StudyRangeTests.Run(request, folder, log, progress);
        var cells = Grid(request, rangeTests);
        var manifest = Path.Combine(folder, StudyFolder.ManifestFile);
        // The cells must be the same; their array tasks follow --parallel, which does not change results.
        if (File.Exists(manifest) && CellManifest.Format(Untasked(CellManifest.Read(manifest))) != CellManifest.Format(Untasked(cells)))
        {
            throw new ArgumentException($"The study folder {folder} holds a cell manifest ({StudyFolder.ManifestFile}) that its range tests do not give; choose another --out.");
        }

        CellManifest.Write(manifest, cells);
        log.WriteLine($"plan: {cells.Count} cells in {TaskCount(request)} array tasks (0 to {TaskCount(request) - 1}); manifest {manifest}");
        return new StudyPlanResult(folder, rangeTests, cells, trained, reused);
    }

    /// <summary>
    /// The request a pinned recipe (a study.json, as <see cref="Pin"/> or the Slurm and Kubernetes emitters write it)
    /// describes, to run on <paramref name="device"/> into <paramref name="folder"/>.
    /// </summary>
    /// <exception cref="OptionsException">No <paramref name="folder"/> was given.</exception>
    public static StudyRequest FromPlanFile(string path, DeviceKind device, int threads, string? folder) =>
        folder is null ? throw new OptionsException("--study-json needs --out, the study folder.")
        : File.Exists(path)
            ? RunJson.Read<StudyPlan>(path).ToRequest(device, threads, folder)
            : throw new IOException($"The study plan {path} does not exist.");

    /// <summary>Cells in the study's grid: optimizers x schedules x candidates.</summary>
    public static int CellCount(StudyRequest request) => request.Optimizers.Count * request.Schedules.Count * request.Sweep.Candidates;

    /// <summary>Cells one array task trains, as one model group (<see cref="StudyRequest.Parallel"/> resolved by <see cref="StudyParallel"/>).</summary>
    public static int CellsPerTask(StudyRequest request) =>
        StudyParallel.Resolve(request.Parallel ?? StudyParallel.PhasesDefault, CellCount(request), request.Batch, request.ResolveModel());

    /// <summary>Array tasks a scheduler runs for the study (<see cref="CellsPerTask"/> cells each); known before the range tests have run.</summary>
    public static int TaskCount(StudyRequest request) => (CellCount(request) + CellsPerTask(request) - 1) / CellsPerTask(request);

    /// <summary>
    /// Writes study.json into the study folder on the first call; on later ones refuses a recipe that differs from it.
    /// Returns the folder's full path.
    /// </summary>
    public static string Pin(StudyRequest request)
    {
        var folder = Path.GetFullPath(request.OutputDirectory ?? throw new ArgumentException("A study needs its folder (OutputDirectory) resolved; StudyRunner does that."));
        var plan = StudyPlan.From(request);
        var path = Path.Combine(folder, StudyFolder.PlanFile);
        if (File.Exists(path))
        {
            var pinned = RunJson.Read<StudyPlan>(path);
            if (pinned.ModelText != plan.ModelText)
            {
                throw new ArgumentException(
                    $"The study folder {folder} holds a study of another model ({pinned.ModelText}); resume it with that --model or choose another --out.");
            }

            if (!plan.SameAs(pinned))
            {
                throw new ArgumentException(
                    $"The study folder {folder} holds a study with other settings (see its {StudyFolder.PlanFile}); resume it with those settings or choose another --out.");
            }

            return folder;
        }

        Directory.CreateDirectory(folder);
        RunJson.Write(path, plan);
        return folder;
    }

    private static List<StudyCell> Grid(StudyRequest request, IReadOnlyList<LrFindSummary> rangeTests)
    {
        var perTask = CellsPerTask(request);
        var cells = new List<StudyCell>();
        foreach (var rangeTest in rangeTests)
        {
            var candidates = rangeTest.Suggestions!.Candidates;
            foreach (var schedule in request.Schedules)
            {
                for (var k = 0; k < candidates.Count; k++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"{rangeTest.Optimizer}-{schedule.Name}-c{k + 1}-lr{candidates[k]:0.00e+00}");
                    var index = cells.Count;
                    cells.Add(new StudyCell(index, Task: index / perTask, rangeTest.Optimizer, schedule.Name, k + 1, candidates[k], request.Seed, name));
                }
            }
        }

        return cells;
    }

    private static List<StudyCell> Untasked(IEnumerable<StudyCell> cells) => [.. cells.Select(c => c with { Task = 0 })];
}
