using System.Formats.Tar;
using System.IO.Compression;

namespace GpuTrainer.Data.Download;

/// <summary>
/// Unpacks a verified .tar.gz in-process (<see cref="GZipStream"/> + <see cref="TarReader"/>): the regular files under one
/// top folder go to a hidden ".FOLDER.partial" beside the archive, which is renamed to FOLDER once whole, so FOLDER only
/// ever holds a complete copy. Entries outside that folder, links and names that climb out of it are skipped.
/// </summary>
public static class TarGzUnpacker
{
    /// <summary>Unpacks the <paramref name="folder"/> of <paramref name="archive"/> into <paramref name="target"/>/<paramref name="folder"/>; returns that path.</summary>
    /// <exception cref="DataFormatException">The archive is damaged or holds no file of <paramref name="folder"/>.</exception>
    public static string Unpack(string archive, string target, string folder, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var final = Path.Combine(target, folder);
        if (Directory.Exists(final))
        {
            log.WriteLine($"{folder}: unpacked already");
            return final;
        }

        var staging = Path.Combine(target, $".{folder}.partial");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);   // a cut unpacking: start it again
        }

        Directory.CreateDirectory(staging);
        var files = 0;
        try
        {
            using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            for (TarEntry? entry; (entry = tar.GetNextEntry()) is not null;)
            {
                var name = entry.Name.Replace('\\', '/');
                var prefix = folder + "/";
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var relative = name[prefix.Length..];
                if (relative.Length == 0 || relative.Split('/').Any(part => part is "" or "." or ".."))
                {
                    continue;
                }

                var path = Path.Combine(staging, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                entry.ExtractToFile(path, overwrite: true);
                files++;
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            Directory.Delete(staging, recursive: true);
            throw new DataFormatException($"{Path.GetFileName(archive)} could not be unpacked ({e.Message.TrimEnd('.')}).", e);
        }

        if (files == 0)
        {
            Directory.Delete(staging, recursive: true);
            throw new DataFormatException($"{Path.GetFileName(archive)} holds no files under {folder}/.");
        }

        Directory.Move(staging, final);
        log.WriteLine($"{folder}: unpacked {files} files");
        return final;
    }
}
