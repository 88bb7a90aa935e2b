using System.Globalization;
using System.Text;

namespace GpuTrainer.Study;

/// <summary>
/// cells.tsv: a header, then one tab-separated line per cell:
/// <c>index task optimizer schedule candidate lr seed folder</c>. The rate is written to round-trip exactly, so a worker
/// trains the very rate the plan chose. The task column is the explicit array-task to cells mapping.
/// </summary>
public static class CellManifest
{
    /// <summary>The header line.</summary>
    public const string Header = "index\ttask\toptimizer\tschedule\tcandidate\tlr\tseed\tfolder";

    /// <summary>The manifest's text for <paramref name="cells"/>.</summary>
    public static string Format(IReadOnlyList<StudyCell> cells)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var c in cells)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{c.Index}\t{c.Task}\t{c.Optimizer}\t{c.Schedule}\t{c.Candidate}\t{c.Lr:R}\t{c.Seed}\t{c.Name}\n"));
        }

        return text.ToString();
    }

    /// <summary>Writes the manifest atomically (replacing one with the same text).</summary>
    public static void Write(string path, IReadOnlyList<StudyCell> cells) => StudyFolder.WriteText(path, Format(cells));

    /// <summary>Reads a manifest; an <see cref="IOException"/> naming the first bad line.</summary>
    public static IReadOnlyList<StudyCell> Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses a manifest's text; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<StudyCell> Parse(string text, string source)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != Header)
        {
            throw new IOException($"{source} is not a cell manifest: its first line is not '{Header.Replace('\t', ' ')}'.");
        }

        var cells = new List<StudyCell>();
        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split('\t');
            var c = CultureInfo.InvariantCulture;
            if (f.Length != 8 || !int.TryParse(f[0], c, out var index) || index != cells.Count || !int.TryParse(f[1], c, out var task) || task < 0
                || !int.TryParse(f[4], c, out var candidate) || !double.TryParse(f[5], c, out var lr) || !int.TryParse(f[6], c, out var seed)
                || f[7] is "" or "." or ".." || f[7] != Path.GetFileName(f[7]))
            {
                throw new IOException($"{source} line {i + 1} is not a cell (index {cells.Count}, task, optimizer, schedule, candidate, lr, seed, folder).");
            }

            cells.Add(new StudyCell(index, task, f[2], f[3], candidate, lr, seed, f[7]));
        }

        return cells;
    }
}
