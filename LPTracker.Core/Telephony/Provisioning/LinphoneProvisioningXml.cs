using System.Globalization;
using System.Xml.Linq;

namespace LPTracker.Core.Telephony.Provisioning;

/// <summary>
/// Linphone's remote-provisioning document (the lpconfig XML: sections and entries of its linphonerc). A phone that
/// fetches it from its <c>config-uri</c> (the QR code) gets one SIP account: <c>proxy_0</c> with where to register,
/// <c>auth_info_0</c> with the credentials. <c>transient_provisioning</c> makes Linphone forget the URI once applied,
/// so it does not fetch a used (dead) link again at every start.
/// </summary>
public static class LinphoneProvisioningXml
{
    public const string ContentType = "application/xml";

    private static readonly XNamespace Ns = "http://www.linphone.org/xsds/lpconfig.xsd";

    /// <summary>The document for <paramref name="p"/>; values are escaped by the XML writer, never concatenated.</summary>
    public static string Render(ProvisioningProfile p)
    {
        var identity = $"sip:{p.UserName}@{p.Domain}";
        var doc = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement(Ns + "config",
                Section("sip", ("default_proxy", "0")),
                Section("misc", ("transient_provisioning", "1")),
                Section("proxy_0",
                    ("reg_proxy", $"<sip:{p.Host}:{p.Port.ToString(CultureInfo.InvariantCulture)};transport={p.Transport}>"),
                    ("reg_identity", identity),
                    ("reg_expires", "3600"),
                    ("reg_sendregister", "1"),
                    ("publish", "0")),
                Section("auth_info_0",
                    ("username", p.UserName),
                    ("userid", p.UserName),
                    ("passwd", p.Password),
                    ("realm", p.Realm),
                    ("domain", p.Domain))));
        using var writer = new Utf8StringWriter();
        doc.Save(writer);
        return writer.ToString();
    }

    private static XElement Section(string name, params (string Name, string Value)[] entries) =>
        new(Ns + "section", new XAttribute("name", name),
            entries.Select(e => new XElement(Ns + "entry", new XAttribute("name", e.Name), e.Value)));

    // StringWriter says UTF-16 in the declaration; the document goes out as UTF-8.
    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter()
            : base(CultureInfo.InvariantCulture)
        {
        }

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }
}
