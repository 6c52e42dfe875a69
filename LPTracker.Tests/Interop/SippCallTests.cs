using LPTracker.Core.Projects;
using LPTracker.Tests.Telephony.TestSupport;
using static LPTracker.Tests.Telephony.TestSupport.InMemoryCallDirectory;

namespace LPTracker.Tests.Interop;

/// <summary>Calls through the B2BUA over real sockets: sipp as the carrier (trunk) and sipp as registered phones.</summary>
public sealed class SippCallTests
{
    private const string Dialled = "+78123893201";
    private const string Client = "+79001234567";
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task All_at_once_one_phone_answers_and_the_other_gets_cancel()
    {
        var directory = new InMemoryCallDirectory();
        directory.AddNumber(Dialled, RingMode.Simultaneous, 30, Sip(1, "alice"), Sip(2, "bob"));
        await using var rig = await SippCallRig.StartAsync(directory);
        await rig.StartPhoneAsync("alice", "phone-answer.xml");
        await rig.StartPhoneAsync("bob", "phone-ring.xml");

        var (carrier, carrierOutput) = await rig.RunCarrierAsync("carrier-call.xml", Dialled, Client);
        var (alice, aliceOutput) = await rig.WaitForPhoneAsync("alice");
        var (bob, bobOutput) = await rig.WaitForPhoneAsync("bob");

        Assert.True(carrier == 0, carrierOutput);
        Assert.True(alice == 0, aliceOutput);
        Assert.True(bob == 0, bobOutput);
        await rig.Events.WaitForAsync("ended Answered by 1", EventTimeout);
        Assert.Contains("leg ended 2 Cancelled", rig.Events.Lines);
        Assert.Equal(0, rig.Server.Server.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Two_phones_answering_together_give_the_carrier_exactly_one_200()
    {
        var directory = new InMemoryCallDirectory();
        directory.AddNumber(Dialled, RingMode.Simultaneous, 30, Sip(1, "alice"), Sip(2, "bob"));
        await using var rig = await SippCallRig.StartAsync(directory);
        await rig.StartPhoneAsync("alice", "phone-answer.xml");
        await rig.StartPhoneAsync("bob", "phone-answer.xml");

        var (carrier, carrierOutput) = await rig.RunCarrierAsync("carrier-call.xml", Dialled, Client);
        await rig.WaitForPhoneAsync("alice");
        await rig.WaitForPhoneAsync("bob");

        // The phones' own verdicts are not asserted: "together" is a race, and the loser legitimately gets either a
        // CANCEL (its 200 had not left yet, which phone-answer.xml counts as unexpected) or ACK + BYE (it had).
        Assert.True(carrier == 0, carrierOutput);
        var okToInvite = rig.Trace("carrier").Split("SIP/2.0 200 OK").Skip(1).Count(m => m.Contains("CSeq: 1 INVITE", StringComparison.Ordinal));
        Assert.Equal(1, okToInvite);
    }

    [Fact]
    public async Task In_turn_skips_the_unreachable_moves_on_when_busy_and_the_next_one_answers()
    {
        var directory = new InMemoryCallDirectory();
        directory.AddNumber(Dialled, RingMode.Sequential, 30, Sip(3, "carol"), Sip(1, "alice"), Sip(2, "bob"));
        await using var rig = await SippCallRig.StartAsync(directory);
        await rig.StartPhoneAsync("alice", "phone-busy.xml");
        await rig.StartPhoneAsync("bob", "phone-answer.xml");

        var (carrier, carrierOutput) = await rig.RunCarrierAsync("carrier-call.xml", Dialled, Client);
        var (alice, aliceOutput) = await rig.WaitForPhoneAsync("alice");
        var (bob, bobOutput) = await rig.WaitForPhoneAsync("bob");

        Assert.True(carrier == 0, carrierOutput);
        Assert.True(alice == 0 && bob == 0, aliceOutput + bobOutput);
        await rig.Events.WaitForAsync("ended Answered by 2", EventTimeout);
        var lines = rig.Events.Lines.ToList();
        Assert.DoesNotContain(lines, l => l.Contains(" 3", StringComparison.Ordinal) && l.StartsWith("leg", StringComparison.Ordinal));
        Assert.True(lines.IndexOf("leg ended 1 Busy") < lines.IndexOf("answered 2"), string.Join("\n", lines));
    }

    [Fact]
    public async Task In_turn_moves_to_the_next_phone_when_the_first_does_not_answer_within_the_ring_timeout()
    {
        var directory = new InMemoryCallDirectory();
        directory.AddNumber(Dialled, RingMode.Sequential, 5, Sip(1, "alice"), Sip(2, "bob"));
        await using var rig = await SippCallRig.StartAsync(directory);
        await rig.StartPhoneAsync("alice", "phone-ring.xml");
        await rig.StartPhoneAsync("bob", "phone-answer.xml");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (carrier, carrierOutput) = await rig.RunCarrierAsync("carrier-call.xml", Dialled, Client);
        var elapsed = clock.Elapsed;
        var (alice, aliceOutput) = await rig.WaitForPhoneAsync("alice");
        var (bob, bobOutput) = await rig.WaitForPhoneAsync("bob");

        Assert.True(carrier == 0, carrierOutput);
        Assert.True(alice == 0, aliceOutput);
        Assert.True(bob == 0, bobOutput);
        await rig.Events.WaitForAsync("ended Answered by 2", EventTimeout);
        var lines = rig.Events.Lines.ToList();
        var log = string.Join("\n", lines);
        Assert.True(lines.IndexOf("ringing 1") >= 0, log);
        Assert.True(lines.IndexOf("ringing 1") < lines.IndexOf("leg ended 1 NoAnswer"), log);
        Assert.True(lines.IndexOf("leg ended 1 NoAnswer") < lines.IndexOf("ringing 2"), log);
        Assert.Contains("CANCEL", rig.Trace("alice"), StringComparison.Ordinal);
        // Only a lower bound: the second phone cannot ring before the first one's 5 s turn is over.
        Assert.True(elapsed >= TimeSpan.FromSeconds(5), $"the call ended after {elapsed}");
    }

    [Fact]
    public async Task The_caller_hanging_up_while_ringing_cancels_the_phone()
    {
        var directory = new InMemoryCallDirectory();
        directory.AddNumber(Dialled, RingMode.Simultaneous, 30, Sip(1, "alice"));
        await using var rig = await SippCallRig.StartAsync(directory);
        await rig.StartPhoneAsync("alice", "phone-ring.xml");

        var (carrier, carrierOutput) = await rig.RunCarrierAsync("carrier-cancel.xml", Dialled, Client);
        var (alice, aliceOutput) = await rig.WaitForPhoneAsync("alice");

        Assert.True(carrier == 0, carrierOutput);
        Assert.True(alice == 0, aliceOutput);
        await rig.Events.WaitForAsync("ended CallerHungUp", EventTimeout);
    }

    [Fact]
    public async Task The_phone_hanging_up_sends_bye_to_the_carrier()
    {
        var directory = new InMemoryCallDirectory();
        directory.AddNumber(Dialled, RingMode.Simultaneous, 30, Sip(1, "alice"));
        await using var rig = await SippCallRig.StartAsync(directory);
        await rig.StartPhoneAsync("alice", "phone-answer-hangup.xml");

        var (carrier, carrierOutput) = await rig.RunCarrierAsync("carrier-call-phone-hangs-up.xml", Dialled, Client);
        var (alice, aliceOutput) = await rig.WaitForPhoneAsync("alice");

        Assert.True(carrier == 0, carrierOutput);
        Assert.True(alice == 0, aliceOutput);
        await rig.Events.WaitForAsync("ended Answered by 1", EventTimeout);
    }

    [Fact]
    public async Task A_hide_number_employee_sees_the_placeholder_and_none_of_the_carriers_headers()
    {
        var directory = new InMemoryCallDirectory();
        directory.AddNumber(Dialled, RingMode.Simultaneous, 30, Sip(1, "alice"), Sip(2, "bob", hide: true));
        await using var rig = await SippCallRig.StartAsync(directory);
        await rig.StartPhoneAsync("alice", "phone-answer.xml");
        await rig.StartPhoneAsync("bob", "phone-ring.xml");

        var (carrier, carrierOutput) = await rig.RunCarrierAsync("carrier-call.xml", Dialled, Client);
        await rig.WaitForPhoneAsync("alice");
        await rig.WaitForPhoneAsync("bob");

        Assert.True(carrier == 0, carrierOutput);
        var alice = rig.InviteSeenBy("alice");
        var bob = rig.InviteSeenBy("bob");
        Assert.Contains($"From: <sip:{Client}@", alice, StringComparison.Ordinal);
        Assert.Contains("From: <sip:+78123893298@", bob, StringComparison.Ordinal);
        Assert.Contains("P-Asserted-Identity: <sip:+78123893298@", bob, StringComparison.Ordinal);
        Assert.DoesNotContain(Client, bob, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Carrier-Secret", alice + bob, StringComparison.Ordinal);
        Assert.DoesNotContain("carrier.example", alice + bob, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Click_to_call_rings_the_employee_first_then_the_client_with_the_projects_number_and_joins_them()
    {
        var directory = new InMemoryCallDirectory();
        directory.AddNumber(Dialled, RingMode.Simultaneous, 30, Sip(1, "alice"));
        directory.SingleNumbers[1] = Dialled;
        await using var rig = await SippCallRig.StartAsync(directory);
        await rig.StartPhoneAsync("alice", "phone-click-to-call.xml");
        await rig.StartCarrierUasAsync("phone-answer-hangup.xml");

        var (result, callId) = await rig.Server.Server.Calls.StartAsync(1, 1, 1, Client, CancellationToken.None);
        var (alice, aliceOutput) = await rig.WaitForPhoneAsync("alice");
        var (carrier, carrierOutput) = await rig.WaitForPhoneAsync("carrier");

        Assert.Equal(LPTracker.Core.Calls.ClickToCallStart.Started, result);
        Assert.NotNull(callId);
        Assert.True(alice == 0, aliceOutput);
        Assert.True(carrier == 0, carrierOutput);
        var toEmployee = rig.InviteSeenBy("alice");
        var toClient = rig.InviteSeenBy("carrier");
        Assert.Contains($"From: <sip:{Client}@", toEmployee, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 0", toEmployee, StringComparison.Ordinal);
        Assert.Contains($"INVITE sip:{Client}@", toClient, StringComparison.Ordinal);
        Assert.Contains($"From: <sip:{Dialled}@", toClient, StringComparison.Ordinal);
        Assert.Contains("o=phone", toClient, StringComparison.Ordinal);
        await rig.Events.WaitForAsync("ended Answered by 1", EventTimeout);
    }

    [Fact]
    public async Task Early_media_of_the_answering_phone_reaches_the_carrier_in_a_183_before_its_200()
    {
        var directory = new InMemoryCallDirectory();
        directory.AddNumber(Dialled, RingMode.Simultaneous, 30, Sip(1, "alice"));
        await using var rig = await SippCallRig.StartAsync(directory);
        await rig.StartPhoneAsync("alice", "phone-early-media-answer.xml");

        var (carrier, carrierOutput) = await rig.RunCarrierAsync("carrier-call-early-media.xml", Dialled, Client);
        var (alice, aliceOutput) = await rig.WaitForPhoneAsync("alice");

        Assert.True(carrier == 0, carrierOutput);
        Assert.True(alice == 0, aliceOutput);
        var received = ReceivedBy(rig.Trace("carrier"));
        var early = Assert.Single(received, m => m.StartsWith("SIP/2.0 183", StringComparison.Ordinal));
        Assert.Contains("o=answerer-early", early, StringComparison.Ordinal);
        var answer = received.First(m => m.StartsWith("SIP/2.0 200", StringComparison.Ordinal) && m.Contains("CSeq: 1 INVITE", StringComparison.Ordinal));
        Assert.Contains("o=answerer ", answer, StringComparison.Ordinal);
        Assert.True(received.IndexOf(early) < received.IndexOf(answer));
        await rig.Events.WaitForAsync("ended Answered by 1", EventTimeout);
    }

    [Fact]
    public async Task With_two_phones_sending_early_media_the_first_ones_reaches_the_carrier_and_the_other_answers()
    {
        var directory = new InMemoryCallDirectory();
        directory.AddNumber(Dialled, RingMode.Simultaneous, 30, Sip(1, "alice"), Sip(2, "bob"));
        await using var rig = await SippCallRig.StartAsync(directory);
        await rig.StartPhoneAsync("alice", "phone-early-media-ring.xml");
        await rig.StartPhoneAsync("bob", "phone-early-media-answer.xml");

        var (carrier, carrierOutput) = await rig.RunCarrierAsync("carrier-call-early-media.xml", Dialled, Client);
        var (alice, aliceOutput) = await rig.WaitForPhoneAsync("alice");
        var (bob, bobOutput) = await rig.WaitForPhoneAsync("bob");

        Assert.True(carrier == 0, carrierOutput);
        Assert.True(alice == 0, aliceOutput);
        Assert.True(bob == 0, bobOutput);
        var received = ReceivedBy(rig.Trace("carrier"));
        // Alice's 183 came first (bob waits a second): only hers reaches the carrier, bob's is not relayed.
        var early = Assert.Single(received, m => m.StartsWith("SIP/2.0 183", StringComparison.Ordinal));
        Assert.Contains("o=ringer", early, StringComparison.Ordinal);
        Assert.DoesNotContain(received, m => m.Contains("o=answerer-early", StringComparison.Ordinal));
        Assert.Contains(received, m => m.StartsWith("SIP/2.0 200", StringComparison.Ordinal) && m.Contains("o=answerer ", StringComparison.Ordinal));
        await rig.Events.WaitForAsync("ended Answered by 2", EventTimeout);
        Assert.Contains("leg ended 1 Cancelled", rig.Events.Lines);
    }

    /// <summary>The messages a sipp instance received, from its trace (each entry starts at the start line).</summary>
    private static List<string> ReceivedBy(string trace) =>
        trace.Split("message received", StringSplitOptions.None).Skip(1)
            .Select(m => m[(m.IndexOf('\n', StringComparison.Ordinal) + 1)..].TrimStart())
            .Select(m => m.Split("-----", 2)[0])
            .ToList();
}
