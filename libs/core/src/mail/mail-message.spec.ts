import { escapeHtml, renderActionMail } from './mail-message';

describe('renderActionMail', () => {
  const mail = renderActionMail({
    to: 'a@example.com',
    subject: 'Hi',
    paragraphs: ['Tom & Jerry <script>alert(1)</script>'],
    actionLabel: 'Open',
    actionUrl: 'https://app.example.com/x?token=a.b&c="d"',
    footer: 'Bye',
  });

  it('writes the same words as text and as HTML, with the link in both', () => {
    expect(mail.text).toContain('Tom & Jerry <script>alert(1)</script>');
    expect(mail.text).toContain('Open: https://app.example.com/x?token=a.b&c="d"');
    expect(mail.text).toContain('Bye');
    expect(mail.html).toContain('href="https://app.example.com/x?token=a.b&amp;c=&quot;d&quot;"');
  });

  it('escapes user-supplied text in the HTML part', () => {
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Tom &amp; Jerry &lt;script&gt;');
    expect(escapeHtml(`'"&<>`)).toBe('&#39;&quot;&amp;&lt;&gt;');
  });
});
