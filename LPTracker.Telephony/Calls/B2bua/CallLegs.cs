using System.Net;
using LPTracker.Core.Calls;
using LPTracker.Telephony.Calls.Dialogs;
using LPTracker.Telephony.Calls.RingPlans;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Calls.B2bua;

/// <summary>Who a call leg presents itself as: the From/P-Asserted-Identity user (an E.164 number or a SIP login),
/// or null for an anonymous caller.</summary>
/// <param name="User">The user part.</param>
/// <param name="DisplayName">An optional display name.</param>
internal sealed record CallerIdentity(string? User, string? DisplayName = null);

/// <summary>One employee's leg of a call: all their devices ring together and it ends once. The client's leg of a
/// call out or click-to-call is reported under the employee who makes the call (<paramref name="reportedAs"/>,
/// <see cref="Outgoing"/>); a leg with nobody to report it under stays silent.</summary>
internal sealed class Leg(RingLeg plan, int? reportedAs, bool outgoing)
{
    public Guid Id { get; } = Guid.NewGuid();

    public RingLeg Plan { get; } = plan;

    /// <summary>False when there is no employee to report the leg under.</summary>
    public bool Reportable { get; } = reportedAs is not null;

    /// <summary>The client's side of a call an employee makes.</summary>
    public bool Outgoing { get; } = outgoing;

    public List<Fork> Forks { get; } = [];

    public bool Ringing { get; set; }

    public bool Ended { get; set; }

    /// <summary>This employee picked up (they talk until the call ends).</summary>
    public bool Answered { get; set; }

    public CallOutcome Outcome { get; set; } = CallOutcome.NoAnswer;

    public int EmployeeId { get; } = reportedAs ?? 0;
}

/// <summary>One INVITE we sent for a leg: to a SIP binding or through the trunk.</summary>
internal sealed class Fork(Leg leg, RingDevice device, SipRequest invite, SipFlow flow, IPEndPoint destination)
{
    public Leg Leg { get; } = leg;

    public RingDevice Device { get; } = device;

    /// <summary>The INVITE (replaced when the carrier challenges and we answer with credentials).</summary>
    public SipRequest Invite { get; set; } = invite;

    public SipFlow Flow { get; } = flow;

    public IPEndPoint Destination { get; } = destination;

    public InviteClientTransaction? Transaction { get; set; }

    /// <summary>We want it to stop ringing; the CANCEL waits for a provisional (RFC 3261 §9.1).</summary>
    public bool CancelWanted { get; set; }

    public bool CancelSent { get; set; }

    public bool Done { get; set; }

    public bool Authenticated { get; set; }

    /// <summary>The final status, 408 for no answer at all.</summary>
    public int Status { get; set; }

    /// <summary>The final response's reason phrase, when one came.</summary>
    public string? Reason { get; set; }

    /// <summary>The dialog once it answered.</summary>
    public SipDialog? Dialog { get; set; }

    /// <summary>The ACK we sent for its 2xx, re-sent when the 2xx is retransmitted.</summary>
    public SipRequest? Ack { get; set; }
}

/// <summary>A confirmed dialog of the call and what is owed on it.</summary>
internal sealed class CallSide(SipDialog dialog)
{
    public SipDialog Dialog { get; } = dialog;

    /// <summary>The INVITE server transaction (initial or re-INVITE) whose 2xx this side has still to ACK.</summary>
    public InviteServerTransaction? AwaitingAck { get; set; }

    /// <summary>The CSeq of the INVITE whose 2xx we still have to ACK on this side once the other side's ACK brings
    /// the SDP answer (delayed offer), or null.</summary>
    public uint? OwedAckCSeq { get; set; }

    /// <summary>The last ACK we sent here, re-sent when its 2xx is retransmitted.</summary>
    public SipRequest? LastAck { get; set; }
}
