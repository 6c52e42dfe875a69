using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace FanOutBench;

/// <summary>
/// A real Blazor Server circuit without a browser, opened the way blazor.web.js opens one: the prerendered page (with
/// the sign-in cookie) gives the interactive root components' markers; the client connects to <c>/_blazor</c> over
/// WebSockets with the "blazorpack" protocol, calls <c>StartCircuit</c> then <c>UpdateRootComponents</c>, acknowledges
/// every render batch and answers every JS interop call with "done, no value". It does not apply the batches; it looks
/// into each one for given strings (a status chip's new value) and stamps when it came.
/// </summary>
public sealed partial class HeadlessCircuit : IAsyncDisposable
{
    private readonly TaskCompletionSource _rendered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HubConnection? _hub;

    /// <summary>Called for each render batch with its arrival (<see cref="Stopwatch.GetTimestamp"/>) and bytes.</summary>
    public Action<long, byte[]>? OnBatch { get; set; }

    public string? Error { get; private set; }

    public async Task OpenAsync(Uri baseUri, string path, CookieContainer cookies, CancellationToken ct)
    {
        var page = new Uri(baseUri, path);
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler);
        var html = await http.GetStringAsync(page, ct);
        var markers = Marker().Matches(html).Select(m => m.Groups[1].Value)
            .Where(json => json.Contains("\"type\":\"server\"", StringComparison.Ordinal)).ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"{path} has no interactive server component (not signed in?)");
        }

        var state = State().Match(html) is { Success: true } s ? s.Groups[1].Value : "";
        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseUri, "_blazor"), o =>
        {
            o.Cookies = cookies;
            o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
        });
        builder.Services.AddSingleton<IHubProtocol, BlazorPack>();
        var hub = builder.Build();
        _hub = hub;
        hub.ServerTimeout = TimeSpan.FromMinutes(5);
        hub.On<long, byte[]>("JS.RenderBatch", async (id, batch) =>
        {
            OnBatch?.Invoke(Stopwatch.GetTimestamp(), batch);
            _rendered.TrySetResult();
            await Send("OnRenderCompleted", id, null);
        });

        // (asyncHandle, identifier, argsJson, resultType, targetInstanceId, callType) in .NET 10.
        hub.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], async args =>
        {
            var handle = (long)args[0]!;
            if (handle != 0)
            {
                await Send("EndInvokeJSFromDotNet", handle, true, $"[{handle},true,null]");
            }
        });
        hub.On("JS.EndUpdateRootComponents", [typeof(long)], _ => Task.CompletedTask);
        hub.On("JS.EndLocationChanging", [typeof(int), typeof(bool)], _ => Task.CompletedTask);
        hub.On<string>("JS.Error", message =>
        {
            Error ??= message;
            _rendered.TrySetResult();
        });
        hub.Closed += ex =>
        {
            Error ??= ex is null ? "closed" : "closed: " + ex.Message;
            return Task.CompletedTask;
        };

        await hub.StartAsync(ct);
        var circuit = await hub.InvokeAsync<string?>("StartCircuit", baseUri.ToString(), page.ToString(), "[]", "", ct);
        if (string.IsNullOrEmpty(circuit))
        {
            throw new InvalidOperationException("StartCircuit was refused");
        }

        var operations = markers.Select((json, i) => new { type = "add", ssrComponentId = i + 1, marker = JsonDocument.Parse(json).RootElement });
        await hub.SendAsync("UpdateRootComponents", JsonSerializer.Serialize(new { batchId = 1, operations }), state, ct);
        await _rendered.Task.WaitAsync(TimeSpan.FromMinutes(2), ct);
        if (Error is not null)
        {
            throw new InvalidOperationException(Error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }
    }

    /// <summary>True when <paramref name="batch"/> carries <paramref name="utf8"/> (render batches keep their strings as UTF-8).</summary>
    public static bool Contains(byte[] batch, byte[] utf8) => batch.AsSpan().IndexOf(utf8) >= 0;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private async Task Send(string method, params object?[] args)
    {
        try
        {
            await _hub!.SendCoreAsync(method, args);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
        {
            Error ??= method + ": " + ex.Message;
        }
    }

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:(.*?)-->", RegexOptions.Singleline)]
    private static partial Regex State();

    /// <summary>Blazor's hub speaks only "blazorpack": SignalR's MessagePack protocol under that name.</summary>
    private sealed class BlazorPack : IHubProtocol
    {
        private readonly MessagePackHubProtocol _inner = new();

        public string Name => "blazorpack";

        public int Version => _inner.Version;

        public TransferFormat TransferFormat => TransferFormat.Binary;

        public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
            _inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);
    }
}
