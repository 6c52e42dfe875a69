namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>Method names. Methods are case-sensitive (RFC 3261 §7.1).</summary>
public static class SipMethods
{
    public const string Register = "REGISTER";
    public const string Options = "OPTIONS";
    public const string Invite = "INVITE";
    public const string Ack = "ACK";
    public const string Bye = "BYE";
    public const string Cancel = "CANCEL";
    public const string Subscribe = "SUBSCRIBE";
    public const string Notify = "NOTIFY";
    public const string Message = "MESSAGE";
    public const string Info = "INFO";
    public const string Prack = "PRACK";
    public const string Update = "UPDATE";
    public const string Refer = "REFER";
    public const string Publish = "PUBLISH";

    /// <summary>True for methods defined by RFC 3261 and common extensions, which a registrar answers 405 (not 501).</summary>
    public static bool IsKnown(string method) => method switch
    {
        Register or Options or Invite or Ack or Bye or Cancel or Subscribe or Notify or Message or Info or Prack
            or Update or Refer or Publish => true,
        _ => false,
    };
}
