using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace FanOutBench;

/// <summary>
/// Makes another .NET process run a full blocking garbage collection, as <c>dotnet-gcdump</c> does before it walks the
/// heap, without walking it: an EventPipe session over the runtime's diagnostic socket with the runtime provider's
/// GCHeapCollect keyword forces the collection; the session is stopped at once. (The diagnostics client library is
/// not among this machine's packages; the IPC protocol is small.) Then the node's managed heap after a full collection
/// can be read from its <c>/metrics</c>, as <see cref="GC.GetTotalMemory"/> reads the in-process one.
/// </summary>
internal static class RemoteGc
{
    private const byte EventPipe = 0x02;
    private const byte StopTracing = 0x01;
    private const byte CollectTracing = 0x02;
    private const ulong GcKeyword = 0x1;
    private const ulong GcHeapCollectKeyword = 0x800000;

    /// <summary>Asks process <paramref name="pid"/> for a full collection; returns when its runtime acknowledged the session.</summary>
    public static async Task InduceAsync(int pid, CancellationToken ct)
    {
        var socket = Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*-socket").FirstOrDefault()
            ?? throw new InvalidOperationException($"process {pid} has no diagnostic socket in {Path.GetTempPath()}");

        var payload = new List<byte>();
        payload.AddRange(UInt32(16)); // circular buffer, MB
        payload.AddRange(UInt32(1)); // nettrace
        payload.AddRange(UInt32(1)); // one provider
        payload.AddRange(UInt64(GcKeyword | GcHeapCollectKeyword));
        payload.AddRange(UInt32(4)); // informational
        payload.AddRange(Utf16("Microsoft-Windows-DotNETRuntime"));
        payload.AddRange(UInt32(0)); // no filter data
        using var session = await ConnectAsync(socket, ct);
        var (ok, body) = await CommandAsync(session, CollectTracing, [.. payload], ct);
        if (!ok)
        {
            throw new InvalidOperationException($"process {pid} refused the EventPipe session");
        }

        // The runtime streams the session's events on this connection until stopped: read them away meanwhile.
        var drain = DrainAsync(session);
        using var stop = await ConnectAsync(socket, ct);
        await CommandAsync(stop, StopTracing, body[..8], ct);
        await drain.WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    private static async Task<Socket> ConnectAsync(string path, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
        return socket;
    }

    /// <summary>Sends one IPC message (14-byte magic, size, command set, command id, reserved) and reads the reply.</summary>
    private static async Task<(bool Ok, byte[] Payload)> CommandAsync(Socket socket, byte command, byte[] payload, CancellationToken ct)
    {
        var message = new byte[20 + payload.Length];
        Encoding.ASCII.GetBytes("DOTNET_IPC_V1\0").CopyTo(message, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(14), (ushort)message.Length);
        message[16] = EventPipe;
        message[17] = command;
        payload.CopyTo(message, 20);
        await socket.SendAsync(message, ct);
        var header = await ReadExactlyAsync(socket, 20, ct);
        var size = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(14));
        var body = await ReadExactlyAsync(socket, size - 20, ct);
        return (header[16] == 0xFF && header[17] == 0x00, body);
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                throw new IOException("the diagnostic socket closed");
            }

            read += n;
        }

        return buffer;
    }

    private static async Task DrainAsync(Socket socket)
    {
        var buffer = new byte[65536];
        try
        {
            while (await socket.ReceiveAsync(buffer) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
    }

    private static byte[] UInt32(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return b;
    }

    private static byte[] UInt64(ulong value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return b;
    }

    /// <summary>An IPC string: length in UTF-16 units including the terminating NUL, then the units.</summary>
    private static byte[] Utf16(string text) => [.. UInt32((uint)text.Length + 1), .. Encoding.Unicode.GetBytes(text + "\0")];
}
