using System.Text.Json;
using System.Text.Json.Serialization;

namespace GpuTrainer.Training;

/// <summary>
/// How every JSON file GpuTrainer writes (run, lr-find and study summaries, study.json, diverged.json, gpubench --json)
/// is written and read back: indented, camelCase keys, enums by name. Reading ignores the keys' case, so folders written
/// before the keys were camelCase still resume.
/// </summary>
public static class RunJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/>.</summary>
    public static void Write<T>(string path, T value) => File.WriteAllText(path, Serialize(value));

    /// <summary>The JSON text <see cref="Write"/> would write.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads a <typeparamref name="T"/> from <paramref name="path"/>; an <see cref="IOException"/> with one sentence when it cannot.</summary>
    public static T Read<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                ?? throw new IOException($"{path} holds no {typeof(T).Name}.");
        }
        catch (JsonException e)
        {
            throw new IOException($"{path} is not a readable {typeof(T).Name}: {e.Message}", e);
        }
    }
}
