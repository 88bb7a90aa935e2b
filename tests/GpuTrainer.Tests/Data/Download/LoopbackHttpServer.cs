using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GpuTrainer.Tests.Data.Download;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for download tests: it serves the routes it is given,
/// honours "Range: bytes=N-" with 206 when asked to, answers 404 for anything else, and can cut a response half
/// way (the full Content-Length announced, half the body sent, then the socket closed). One request per connection.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, Route> _routes = [];
    private readonly List<string> _requests = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackHttpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>How a path is answered.</summary>
    /// <param name="Body">The bytes of the file.</param>
    /// <param name="CutAfter">Close the connection after this many body bytes (null: send them all).</param>
    /// <param name="Ranges">Honour Range requests (else always 200 with the whole body).</param>
    public sealed record Route(byte[] Body, long? CutAfter = null, bool Ranges = true);

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Every request line received so far with its Range header, e.g. "GET /a/x.gz bytes=100-".</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Serves <paramref name="route"/> at <paramref name="path"/> (starting with '/').</summary>
    public void Serve(string path, Route route)
    {
        lock (_routes)
        {
            _routes[path] = route;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the accept loop ends with the listener
        }

        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Handle(client));
        }
    }

    private async Task Handle(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = await ReadHead(stream);
            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            var path = parts.Length > 1 ? parts[1] : "/";
            var range = lines.Skip(1).Select(l => l.Split(':', 2)).Where(h => h.Length == 2 && h[0].Trim().Equals("Range", StringComparison.OrdinalIgnoreCase))
                .Select(h => h[1].Trim()).FirstOrDefault();
            lock (_requests)
            {
                _requests.Add($"{parts[0]} {path}{(range is null ? "" : " " + range)}");
            }

            Route? route;
            lock (_routes)
            {
                _routes.TryGetValue(path, out route);
            }

            if (route is null)
            {
                await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }

            var start = 0L;
            var status = "200 OK";
            var extra = "";
            if (route.Ranges && range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                start = long.Parse(range["bytes=".Length..^1], CultureInfo.InvariantCulture);
                status = "206 Partial Content";
                extra = $"Content-Range: bytes {start}-{route.Body.Length - 1}/{route.Body.Length}\r\n";
            }

            var length = route.Body.Length - start;
            await Write(stream, $"HTTP/1.1 {status}\r\nContent-Length: {length}\r\n{extra}Connection: close\r\n\r\n");
            var send = route.CutAfter is { } cut ? Math.Min(cut, length) : length;
            await stream.WriteAsync(route.Body.AsMemory((int)start, (int)send));
            await stream.FlushAsync();
        }
    }

    private static async Task<string> ReadHead(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString([.. bytes]);
    }

    private static Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();
}
