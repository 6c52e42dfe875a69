using System.Net;

namespace LPTracker.Telephony.Registrar;

/// <summary>
/// What happens when a REGISTER would take a user past <c>Sip:MaxContactsPerAor</c>: a softphone that restarted on a
/// new port must not be locked out until its old binding expires, so room is made instead of refusing. The binding
/// replaced is the least recently refreshed one of the same device (same <c>+sip.instance</c>, or else the same
/// User-Agent from the same address), or else the least recently refreshed one overall. Contacts named in the
/// request itself are never replaced.
/// </summary>
internal static class ContactLimit
{
    /// <summary>Removes bindings from <paramref name="bindings"/> until at most <paramref name="max"/> remain; false
    /// when the request alone lists more contacts than that.</summary>
    public static bool MakeRoom(List<SipBinding> bindings, IReadOnlyList<RequestedContact> requested, IPAddress source,
        string? userAgent, int max)
    {
        var named = requested.Select(c => ContactKeys.For(c.Uri)).ToHashSet(StringComparer.Ordinal);
        var instances = requested.Select(c => c.InstanceId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        while (bindings.Count > max)
        {
            var candidates = bindings.Where(b => !named.Contains(b.ContactKey)).ToList();
            if (candidates.Count == 0)
            {
                return false;
            }

            var sameDevice = candidates.Where(b => IsSameDevice(b, instances, source, userAgent)).ToList();
            bindings.Remove((sameDevice.Count > 0 ? sameDevice : candidates).MinBy(b => b.UpdatedAt)!);
        }

        return true;
    }

    private static bool IsSameDevice(SipBinding binding, HashSet<string> instances, IPAddress source, string? userAgent) =>
        binding.InstanceId is { } instance
            ? instances.Contains(instance)
            : instances.Count == 0 && binding.UserAgent == userAgent && binding.RemoteEndPoint.Address.Equals(source);
}
