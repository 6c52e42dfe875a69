using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>
/// Builds a final response again for a retransmission of the request it answered, from the retransmission itself and
/// the 8 bytes of state the first response carried (<see cref="SipResponse.RegenerationState"/>), without processing the
/// request again. A completed server transaction whose response has one keeps only its key, this state and a check of
/// the request's identity, instead of the response's bytes (decision 0075).
/// </summary>
internal interface IResponseRegenerator
{
    /// <summary>The response to send for <paramref name="retransmission"/>; must not change any state.</summary>
    SipResponse Regenerate(SipRequest retransmission, long state);
}
