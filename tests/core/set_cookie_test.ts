import assert from "node:assert/strict";
import fc from "fast-check";
import { CookieJar } from "../../src/cookie_jar.ts";
import { COOKIE_AGE_LIMIT_MS, parseSetCookie, parseSetCookieLines } from "../../src/core/set_cookie.ts";

const NOW = Date.UTC(2010, 0, 1);
const DAY = 24 * 60 * 60 * 1000;

// The http-state parser tests (Adam Barth, tests/data/parser.json), run as their harness
// does: every line is received from http://home.example.org:8888/cookie-parser?<test>, then
// the Cookie header for http://home.example.org:8888/cookie-parser-result?<test> (or
// "sent-to") is compared. Results follow RFC 6265bis where it changed RFC 6265: a pair
// without "=" is a nameless cookie (sent as its value alone), a control character ignores
// the line, a Secure cookie is not stored from http.
const httpState: { test: string; received: string[]; sentTo?: string; sent: string | undefined }[] = [
  { test: "0001", received: ["foo=bar"], sent: "foo=bar" },
  { test: "0002", received: ["foo=bar; Expires=Fri, 07 Aug 2019 08:04:19 GMT"], sent: "foo=bar" },
  {
    test: "0003",
    received: [
      "foo=bar; Expires=Fri, 07 Aug 2007 08:04:19 GMT",
      "foo2=bar2; Expires=Fri, 07 Aug 2017 08:04:19 GMT",
    ],
    sent: "foo2=bar2",
  },
  { test: "0004", received: ["foo"], sent: "foo" },
  { test: "0005", received: ["foo=bar; max-age=10000;"], sent: "foo=bar" },
  { test: "0006", received: ["foo=bar; max-age=0;"], sent: undefined },
  { test: "0007", received: ["foo=bar; version=1;"], sent: "foo=bar" },
  { test: "0008", received: ["foo=bar; version=1000;"], sent: "foo=bar" },
  { test: "0009", received: ["foo=bar; customvalue=1000;"], sent: "foo=bar" },
  { test: "0010", received: ["foo=bar; secure;"], sent: undefined },
  { test: "0011", received: ['foo=bar; customvalue="1000 or more";'], sent: "foo=bar" },
  { test: "0012", received: ['foo=bar; customvalue="no trailing semicolon"'], sent: "foo=bar" },
  { test: "0013", received: ["foo=bar", "foo=qux"], sent: "foo=qux" },
  { test: "0014", received: ["foo1=bar", "foo2=qux"], sent: "foo1=bar; foo2=qux" },
  { test: "0015", received: ["a=b", "z=y"], sent: "a=b; z=y" },
  { test: "0016", received: ["z=y", "a=b"], sent: "z=y; a=b" },
  { test: "0017", received: ["z=y, a=b"], sent: "z=y, a=b" },
  { test: "0018", received: ["z=y; foo=bar, a=b"], sent: "z=y" },
  { test: "0019", received: ["foo=b;max-age=3600, c=d;path=/"], sent: "foo=b" },
  { test: "0020", received: ["a=b", "=", "c=d"], sent: "a=b; c=d" },
  { test: "0021", received: ["a=b", "=x", "c=d"], sent: "a=b; x; c=d" },
  { test: "0022", received: ["a=b", "x=", "c=d"], sent: "a=b; x=; c=d" },
  { test: "0023", received: ["foo", ""], sent: "foo" },
  { test: "0024", received: ["foo", "="], sent: "foo" },
  { test: "0025", received: ["foo", "; bar"], sent: "foo" },
  { test: "0026", received: ["foo", "   "], sent: "foo" },
  { test: "0027", received: ["foo", "bar"], sent: "bar" },
  { test: "ATTRIBUTE0001", received: ["foo=bar; Secure"], sent: undefined },
  { test: "ATTRIBUTE0002", received: ["foo=bar; seCURe"], sent: undefined },
  { test: "ATTRIBUTE0003", received: ['foo=bar; "Secure"'], sent: "foo=bar" },
  { test: "ATTRIBUTE0004", received: ["foo=bar; Secure="], sent: undefined },
  { test: "ATTRIBUTE0005", received: ["foo=bar; Secure=aaaa"], sent: undefined },
  { test: "ATTRIBUTE0006", received: ["foo=bar; Secure qux"], sent: "foo=bar" },
  { test: "ATTRIBUTE0007", received: ["foo=bar; Secure =aaaaa"], sent: undefined },
  { test: "ATTRIBUTE0008", received: ["foo=bar; Secure= aaaaa"], sent: undefined },
  { test: "ATTRIBUTE0009", received: ["foo=bar; Secure; qux"], sent: undefined },
  { test: "ATTRIBUTE0010", received: ["foo=bar; Secure;qux"], sent: undefined },
  { test: "ATTRIBUTE0011", received: ["foo=bar; Secure    ; qux"], sent: undefined },
  { test: "ATTRIBUTE0012", received: ["foo=bar;                Secure"], sent: undefined },
  { test: "ATTRIBUTE0013", received: ["foo=bar;       Secure     ;"], sent: undefined },
  { test: "ATTRIBUTE0014", received: ["foo=bar; Path"], sent: "foo=bar" },
  { test: "ATTRIBUTE0015", received: ["foo=bar; Path="], sent: "foo=bar" },
  { test: "ATTRIBUTE0016", received: ["foo=bar; Path=/"], sent: "foo=bar" },
  { test: "ATTRIBUTE0017", received: ["foo=bar; Path=/qux"], sent: undefined },
  { test: "ATTRIBUTE0018", received: ["foo=bar; Path    =/qux"], sent: undefined },
  { test: "ATTRIBUTE0019", received: ["foo=bar; Path=    /qux"], sent: undefined },
  { test: "ATTRIBUTE0020", received: ["foo=bar; Path=/qux      ; taz"], sent: undefined },
  { test: "ATTRIBUTE0021", received: ["foo=bar; Path=/qux; Path=/"], sent: "foo=bar" },
  { test: "ATTRIBUTE0022", received: ["foo=bar; Path=/; Path=/qux"], sent: undefined },
  { test: "ATTRIBUTE0023", received: ["foo=bar; Path=/qux; Path=/cookie-parser-result"], sent: "foo=bar" },
  { test: "ATTRIBUTE0024", received: ["foo=bar; Path=/cookie-parser-result; Path=/qux"], sent: undefined },
  { test: "ATTRIBUTE0025", received: ["foo=bar; qux; Secure"], sent: undefined },
  { test: "ATTRIBUTE0026", received: ['foo=bar; qux="aaa;bbb"; Secure'], sent: undefined },
  { test: "CHARSET0001", received: ["foo=春节回家路·春运完全手册"], sent: "foo=春节回家路·春运完全手册" },
  { test: "CHARSET0002", received: ["春节回=家路·春运完全手册"], sent: "春节回=家路·春运完全手册" },
  { test: "CHARSET0003", received: ["春节回=家路·春运; 完全手册"], sent: "春节回=家路·春运" },
  { test: "CHARSET0004", received: ['foo="春节回家路·春运完全手册"'], sent: 'foo="春节回家路·春运完全手册"' },
  { test: "CHROMIUM0001", received: ["a=b"], sent: "a=b" },
  { test: "CHROMIUM0002", received: ['aBc="zzz "   ;'], sent: 'aBc="zzz "' },
  { test: "CHROMIUM0003", received: ['aBc="zzz " ;'], sent: 'aBc="zzz "' },
  { test: "CHROMIUM0004", received: ['aBc="zz;pp" ; ;'], sent: 'aBc="zz' },
  { test: "CHROMIUM0005", received: ['aBc="zz ;'], sent: 'aBc="zz' },
  { test: "CHROMIUM0006", received: ['aBc="zzz "   "ppp"  ;'], sent: 'aBc="zzz "   "ppp"' },
  { test: "CHROMIUM0007", received: ['aBc="zzz "   "ppp" ;'], sent: 'aBc="zzz "   "ppp"' },
  { test: "CHROMIUM0008", received: ['aBc=A"B ;'], sent: 'aBc=A"B' },
  { test: "CHROMIUM0009", received: ["BLAHHH; path=/;"], sent: "BLAHHH" },
  { test: "CHROMIUM0010", received: ['"BLA\\"HHH"; path=/;'], sent: '"BLA\\"HHH"' },
  { test: "CHROMIUM0011", received: ['a="B'], sent: 'a="B' },
  { test: "CHROMIUM0012", received: ["=ABC"], sent: "ABC" },
  { test: "CHROMIUM0013", received: ["ABC=;  path = /"], sent: "ABC=" },
  { test: "CHROMIUM0014", received: ["  A  = BC  ;foo;;;   bar"], sent: "A=BC" },
  { test: "CHROMIUM0015", received: ["  A=== BC  ;foo;;;   bar"], sent: "A=== BC" },
  {
    test: "CHROMIUM0016",
    received: ['foo="zohNumRKgI0oxyhSsV3Z7D"  ; expires=Sun, 18-Apr-2027 21:06:29 GMT ; path=/  ;  '],
    sent: 'foo="zohNumRKgI0oxyhSsV3Z7D"',
  },
  {
    test: "CHROMIUM0017",
    received: ["foo=zohNumRKgI0oxyhSsV3Z7D  ; expires=Sun, 18-Apr-2027 21:06:29 GMT ; path=/  ;  "],
    sent: "foo=zohNumRKgI0oxyhSsV3Z7D",
  },
  { test: "CHROMIUM0018", received: ["    "], sent: undefined },
  { test: "CHROMIUM0021", received: [""], sent: undefined },
  { test: "CHROMIUM0022", received: ["AAA=BB\u0000ZYX"], sent: undefined },
  { test: "CHROMIUM0023", received: ["AAA=BB\rZYX"], sent: undefined },
  { test: "COMMA0001", received: ["foo=bar, baz=qux"], sent: "foo=bar, baz=qux" },
  { test: "COMMA0002", received: ['foo="bar, baz=qux"'], sent: 'foo="bar, baz=qux"' },
  { test: "COMMA0003", received: ["foo=bar; b,az=qux"], sent: "foo=bar" },
  { test: "COMMA0004", received: ["foo=bar; baz=q,ux"], sent: "foo=bar" },
  { test: "COMMA0005", received: ["foo=bar; Max-Age=50,399"], sent: "foo=bar" },
  { test: "COMMA0006", received: ["foo=bar; Expires=Fri, 07 Aug 2019 08:04:19 GMT"], sent: "foo=bar" },
  {
    test: "COMMA0007",
    received: ["foo=bar; Expires=Fri 07 Aug 2019 08:04:19 GMT, baz=qux"],
    sent: "foo=bar",
  },
  { test: "DOMAIN0001", received: ["foo=bar; domain=home.example.org"], sent: "foo=bar" },
  {
    test: "DOMAIN0002",
    received: ["foo=bar; domain=home.example.org"],
    sentTo: "http://sibling.example.org:8888/cookie-parser-result?domain0002",
    sent: undefined,
  },
  { test: "DOMAIN0003", received: ["foo=bar; domain=.home.example.org"], sent: "foo=bar" },
  {
    test: "DOMAIN0004",
    received: ["foo=bar; domain=home.example.org"],
    sentTo: "http://subdomain.home.example.org:8888/cookie-parser-result?domain0004",
    sent: "foo=bar",
  },
  {
    test: "DOMAIN0005",
    received: ["foo=bar; domain=.home.example.org"],
    sentTo: "http://subdomain.home.example.org:8888/cookie-parser-result?domain0005",
    sent: "foo=bar",
  },
  {
    test: "DOMAIN0006",
    received: ["foo=bar; domain=.home.example.org"],
    sentTo: "http://sibling.example.org:8888/cookie-parser-result?domain0006",
    sent: undefined,
  },
  {
    test: "DOMAIN0007",
    received: ["foo=bar; domain=sibling.example.org"],
    sentTo: "http://sibling.example.org:8888/cookie-parser-result?domain0007",
    sent: undefined,
  },
  { test: "DOMAIN0008", received: ["foo=bar; domain=.example.org"], sent: "foo=bar" },
  { test: "DOMAIN0009", received: ["foo=bar; domain=example.org"], sent: "foo=bar" },
  { test: "DOMAIN0010", received: ["foo=bar; domain=..home.example.org"], sent: undefined },
  { test: "DOMAIN0011", received: ["foo=bar; domain=home..example.org"], sent: undefined },
  { test: "DOMAIN0012", received: ["foo=bar; domain=  .home.example.org"], sent: "foo=bar" },
  { test: "DOMAIN0013", received: ["foo=bar; domain=  .  home.example.org"], sent: undefined },
  { test: "DOMAIN0014", received: ["foo=bar; domain=home.example.org."], sent: undefined },
  { test: "DOMAIN0015", received: ["foo=bar; domain=home.example.org.."], sent: undefined },
  { test: "DOMAIN0016", received: ["foo=bar; domain=home.example.org ."], sent: undefined },
  { test: "DOMAIN0017", received: ["foo=bar; domain=.org"], sent: undefined },
  { test: "DOMAIN0018", received: ["foo=bar; domain=.org."], sent: undefined },
  {
    test: "DOMAIN0019",
    received: ["foo=bar; domain=home.example.org", "foo2=bar2; domain=.home.example.org"],
    sent: "foo=bar; foo2=bar2",
  },
  {
    test: "DOMAIN0020",
    received: ["foo2=bar2; domain=.home.example.org", "foo=bar; domain=home.example.org"],
    sent: "foo2=bar2; foo=bar",
  },
  { test: "DOMAIN0021", received: ['foo=bar; domain="home.example.org"'], sent: undefined },
  {
    test: "DOMAIN0022",
    received: ["foo=bar; domain=home.example.org", "foo2=bar2; domain=.example.org"],
    sent: "foo=bar; foo2=bar2",
  },
  {
    test: "DOMAIN0023",
    received: ["foo2=bar2; domain=.example.org", "foo=bar; domain=home.example.org"],
    sent: "foo2=bar2; foo=bar",
  },
  {
    test: "DOMAIN0024",
    received: ["foo=bar; domain=.example.org; domain=home.example.org"],
    sentTo: "http://sibling.example.org:8888/cookie-parser-result?domain0024",
    sent: undefined,
  },
  {
    test: "DOMAIN0025",
    received: ["foo=bar; domain=home.example.org; domain=.example.org"],
    sentTo: "http://sibling.example.org:8888/cookie-parser-result?domain0025",
    sent: "foo=bar",
  },
  { test: "DOMAIN0026", received: ["foo=bar; domain=home.eXaMpLe.org"], sent: "foo=bar" },
  { test: "DOMAIN0027", received: ["foo=bar; domain=home.example.org:8888"], sent: undefined },
  {
    test: "DOMAIN0028",
    received: ["foo=bar; domain=subdomain.home.example.org"],
    sentTo: "http://subdomain.home.example.org:8888/cookie-parser-result?domain0028",
    sent: undefined,
  },
  {
    test: "DOMAIN0029",
    received: ["foo=bar"],
    sentTo: "http://subdomain.home.example.org:8888/cookie-parser-result?domain0029",
    sent: undefined,
  },
  {
    test: "DOMAIN0033",
    received: ["foo=bar; domain=home.example.org"],
    sentTo: "http://hoMe.eXaMplE.org:8888/cookie-parser-result?domain0033",
    sent: "foo=bar",
  },
  {
    test: "DOMAIN0034",
    received: ["foo=bar; domain=home.example.org; domain=home.example.com"],
    sent: undefined,
  },
  {
    test: "DOMAIN0035",
    received: ["foo=bar; domain=home.example.com; domain=home.example.org"],
    sent: "foo=bar",
  },
  {
    test: "DOMAIN0037",
    received: ["foo=bar; domain=home.example.com; domain=home.example.org; domain=home.example.com"],
    sent: undefined,
  },
  { test: "DOMAIN0039", received: ["foo=bar; domain=home.example.org; domain=example.org"], sent: "foo=bar" },
  {
    test: "DOMAIN0041",
    received: ["foo=bar; domain=.sibling.example.org"],
    sentTo: "http://sibling.example.org:8888/cookie-parser-result?domain0041",
    sent: undefined,
  },
  {
    test: "DOMAIN0042",
    received: ["foo=bar; domain=.sibling.home.example.org"],
    sentTo: "http://sibling.home.example.org:8888/cookie-parser-result?domain0042",
    sent: undefined,
  },
  { test: "MOZILLA0001", received: ["foo=bar; max-age=-1"], sent: undefined },
  { test: "MOZILLA0002", received: ["foo=bar; max-age=0"], sent: undefined },
  { test: "MOZILLA0003", received: ["foo=bar; expires=Thu, 10 Apr 1980 16:33:12 GMT"], sent: undefined },
  { test: "MOZILLA0004", received: ["foo=bar; max-age=60"], sent: "foo=bar" },
  { test: "MOZILLA0005", received: ["foo=bar; max-age=-20"], sent: undefined },
  {
    test: "MOZILLA0008",
    received: ["foo=bar; max-age=60", "foo1=bar; max-age=60"],
    sent: "foo=bar; foo1=bar",
  },
  {
    test: "MOZILLA0009",
    received: ["foo=bar; max-age=60", "foo1=bar; max-age=60", "foo=differentvalue; max-age=0"],
    sent: "foo1=bar",
  },
  {
    test: "MOZILLA0010",
    received: [
      "foo=bar; max-age=60",
      "foo1=bar; max-age=60",
      "foo=differentvalue; max-age=0",
      "foo2=evendifferentvalue; max-age=0",
    ],
    sent: "foo1=bar",
  },
  {
    test: "MOZILLA0011",
    received: ["test=parser; domain=.parser.test; ;; ;=; ,,, ===,abc,=; abracadabra! max-age=20;=;;"],
    sent: undefined,
  },
  {
    test: "MOZILLA0012",
    received: ['test="fubar! = foo;bar\\";" parser; max-age=6', "five; max-age=2.63,"],
    sent: 'test="fubar! = foo; five',
  },
  { test: "MOZILLA0013", received: ["test=kill; max-age=0", "five; max-age=0"], sent: undefined },
  { test: "MOZILLA0014", received: ["six"], sent: "six" },
  { test: "MOZILLA0015", received: ["six", "seven"], sent: "seven" },
  { test: "MOZILLA0016", received: ["six", "seven", " =eight"], sent: "eight" },
  { test: "MOZILLA0017", received: ["six", "seven", " =eight", "test=six"], sent: "eight; test=six" },
  { test: "NAME0001", received: ["a=bar"], sent: "a=bar" },
  { test: "NAME0002", received: ["1=bar"], sent: "1=bar" },
  { test: "NAME0003", received: ["$=bar"], sent: "$=bar" },
  { test: "NAME0004", received: ["!a=bar"], sent: "!a=bar" },
  { test: "NAME0011", received: ["*a=bar"], sent: "*a=bar" },
  { test: "NAME0016", received: ["+=bar"], sent: "+=bar" },
  { test: "NAME0017", received: ["=a=bar"], sent: "a=bar" },
  { test: "NAME0018", received: ["a =bar"], sent: "a=bar" },
  { test: "NAME0019", received: ['"a=bar'], sent: '"a=bar' },
  { test: "NAME0020", received: ['"a=b"=bar'], sent: '"a=b"=bar' },
  { test: "NAME0021", received: ['"a=b"=bar', '"a=qux'], sent: '"a=qux' },
  { test: "NAME0022", received: ["   foo=bar"], sent: "foo=bar" },
  { test: "NAME0023", received: ["foo;bar=baz"], sent: "foo" },
  { test: "NAME0024", received: ["$Version=1; foo=bar"], sent: "$Version=1" },
  { test: "NAME0025", received: ["===a=bar"], sent: "==a=bar" },
  { test: "NAME0026", received: ["foo=bar    "], sent: "foo=bar" },
  { test: "NAME0027", received: ["foo=bar    ;"], sent: "foo=bar" },
  { test: "NAME0028", received: ["=a"], sent: "a" },
  { test: "NAME0029", received: ["="], sent: undefined },
  { test: "NAME0030", received: ["foo bar=baz"], sent: "foo bar=baz" },
  { test: "NAME0031", received: ['"foo;bar"=baz'], sent: '"foo' },
  { test: "NAME0032", received: ['"foo\\"bar', '"foo\\"bar;baz"=qux'], sent: '"foo\\"bar' },
  { test: "NAME0033", received: ["=foo=bar", "aaa"], sent: "aaa" },
  { test: "OPTIONAL_DOMAIN0030", received: ["foo=bar; domain="], sent: "foo=bar" },
  { test: "OPTIONAL_DOMAIN0041", received: ["foo=bar; domain=example.org; domain="], sent: "foo=bar" },
  { test: "OPTIONAL_DOMAIN0042", received: ["foo=bar; domain=foo.example.org; domain="], sent: undefined },
  {
    test: "ORDERING0001",
    received: [
      "key=val0;",
      "key=val1; path=/cookie-parser-result",
      "key=val2; path=/",
      "key=val3; path=/bar",
      "key=val4; domain=.example.org",
      "key=val5; domain=.example.org; path=/cookie-parser-result/foo",
    ],
    sentTo: "/cookie-parser-result/foo/baz?ordering0001",
    // Longer paths first, then earlier creation; val2 replaced val0 and kept its creation time.
    sent: "key=val5; key=val1; key=val2; key=val4",
  },
  { test: "PATH0001", received: ["a=b; path=/", "x=y; path=/cookie-parser-result"], sent: "x=y; a=b" },
  { test: "PATH0002", received: ["a=b; path=/cookie-parser-result", "x=y; path=/"], sent: "a=b; x=y" },
  { test: "PATH0005", received: ["foo=bar; path=/cookie-parser-result/foo"], sent: undefined },
  { test: "PATH0006", received: ["foo=bar", "foo=qux; path=/cookie-parser-result/foo"], sent: "foo=bar" },
  {
    test: "PATH0007",
    received: ["foo=bar; path=/cookie-parser-result/foo"],
    sentTo: "/cookie-parser-result/foo?path0007",
    sent: "foo=bar",
  },
  {
    test: "PATH0008",
    received: ["foo=bar; path=/cookie-parser-result/foo"],
    sentTo: "/cookie-parser-result/bar?path0008",
    sent: undefined,
  },
  {
    test: "PATH0009",
    received: ["foo=bar; path=/cookie-parser-result/foo/qux"],
    sentTo: "/cookie-parser-result/foo?path0009",
    sent: undefined,
  },
  {
    test: "PATH0010",
    received: ["foo=bar; path=/cookie-parser-result/foo/qux"],
    sentTo: "/cookie-parser-result/foo/qux?path0010",
    sent: "foo=bar",
  },
  {
    test: "PATH0013",
    received: ["foo=bar; path=/cookie-parser-result/foo/qux/"],
    sentTo: "/cookie-parser-result/foo/baz?path0013",
    sent: undefined,
  },
  {
    test: "PATH0014",
    received: ["foo=bar; path=/cookie-parser-result/foo/qux/"],
    sentTo: "/cookie-parser-result/foo/qux?path0014",
    sent: undefined,
  },
  {
    test: "PATH0015",
    received: ["foo=bar; path=/cookie-parser-result/foo/qux/"],
    sentTo: "/cookie-parser-result/foo/qux/?path0015",
    sent: "foo=bar",
  },
  {
    test: "PATH0016",
    received: ["foo=bar; path=/cookie-parser-result/foo/"],
    sentTo: "/cookie-parser-result/foo/qux?path0016",
    sent: "foo=bar",
  },
  {
    test: "PATH0017",
    received: ["foo=bar; path=/cookie-parser-result/foo/"],
    sentTo: "/cookie-parser-result/foo//qux?path0017",
    sent: "foo=bar",
  },
  {
    test: "PATH0018",
    received: ["foo=bar; path=/cookie-parser-result/foo/"],
    sentTo: "/cookie-parser-result/fooqux?path0018",
    sent: undefined,
  },
  { test: "PATH0019", received: ["foo=bar; path"], sent: "foo=bar" },
  { test: "PATH0020", received: ["foo=bar; path="], sent: "foo=bar" },
  { test: "PATH0021", received: ["foo=bar; path=/"], sent: "foo=bar" },
  { test: "PATH0022", received: ["foo=bar; path= /"], sent: "foo=bar" },
  { test: "PATH0023", received: ["foo=bar; Path=/cookie-PARSER-result"], sent: undefined },
  {
    test: "PATH0024",
    received: ["foo=bar; path=/cookie-parser-result/foo/qux?"],
    sentTo: "/cookie-parser-result/foo/qux?path0024",
    sent: undefined,
  },
  {
    test: "PATH0026",
    received: ["foo=bar; path=/cookie-parser-result/foo/qux;"],
    sentTo: "/cookie-parser-result/foo/qux?path0026",
    sent: "foo=bar",
  },
  {
    test: "PATH0027",
    received: ['foo=bar; path="/cookie-parser-result/foo/qux;"'],
    sentTo: "/cookie-parser-result/foo/qux?path0027",
    sent: "foo=bar",
  },
  {
    test: "PATH0028",
    received: ["foo=bar; path=/cookie-parser-result/f%6Fo/bar"],
    sentTo: "/cookie-parser-result/foo/bar?path0028",
    sent: undefined,
  },
  {
    test: "PATH0029",
    received: ["a=b;       path    =       /cookie-parser-result   ", "x=y;       path    =       /book   "],
    sent: "a=b",
  },
  { test: "PATH0030", received: ["foo=bar; path=/dog; path="], sent: "foo=bar" },
  { test: "PATH0031", received: ["foo=bar; path=; path=/dog"], sent: undefined },
  {
    test: "PATH0032",
    received: ["foo=bar; path=/cookie-parser-result", "foo=qux; path=/cookie-parser-result/"],
    sentTo: "/cookie-parser-result/dog?path0032",
    sent: "foo=qux; foo=bar",
  },
  { test: "VALUE0001", received: ["foo=  bar"], sent: "foo=bar" },
  { test: "VALUE0002", received: ['foo="bar"'], sent: 'foo="bar"' },
  { test: "VALUE0003", received: ['foo="  bar "'], sent: 'foo="  bar "' },
  { test: "VALUE0004", received: ['foo="bar;baz"'], sent: 'foo="bar' },
  { test: "VALUE0005", received: ['foo="bar=baz"'], sent: 'foo="bar=baz"' },
  { test: "VALUE0006", received: ["   foo     =       bar             ;       ttt"], sent: "foo=bar" },
];

Deno.test("http-state parser tests: Set-Cookie lines in, Cookie header out (RFC 6265bis)", () => {
  for (const { test, received, sentTo, sent } of httpState) {
    const jar = new CookieJar({ now: () => NOW });
    const from = new URL(`http://home.example.org:8888/cookie-parser?${test.toLowerCase()}`);
    for (const line of received) {
      const parsed = parseSetCookie(line, from, NOW);
      if (parsed.ok) jar.setCookiesFromUrl([parsed.cookie], from);
    }
    const to = new URL(sentTo ?? `/cookie-parser-result?${test.toLowerCase()}`, from);
    assert.equal(jar.cookieHeaderFor(to), sent, test);
  }
});

const url = new URL("https://www.example.com/docs/page");

function cookieOf(text: string, from: URL = url, now = NOW) {
  const parsed = parseSetCookie(text, from, now);
  if (!parsed.ok) throw new Error(`expected a cookie from ${JSON.stringify(text)}, got: ${parsed.reason}`);
  return parsed.cookie;
}

function reasonOf(text: string, from: URL = url, now = NOW): string {
  const parsed = parseSetCookie(text, from, now);
  assert.equal(parsed.ok, false, `expected ${JSON.stringify(text)} to be ignored`);
  return parsed.ok ? "" : parsed.reason;
}

Deno.test("parseSetCookie gives the whole cookie: defaults of a bare pair", () => {
  assert.deepEqual(cookieOf("id=42"), {
    name: "id",
    value: "42",
    domain: "www.example.com",
    path: "/docs",
    secure: false,
    httpOnly: false,
    sameSite: "Default",
  });
});

Deno.test("parseSetCookie reads every attribute, case-insensitively", () => {
  assert.deepEqual(
    cookieOf("id=42; DOMAIN=.Example.COM; path=/; secure; HTTPONLY; samesite=strict; max-age=3600"),
    {
      name: "id",
      value: "42",
      domain: ".example.com",
      path: "/",
      expires: new Date(NOW + 3600_000),
      secure: true,
      httpOnly: true,
      sameSite: "Strict",
    },
  );
});

Deno.test("parseSetCookie ignores a line for the reasons of RFC 6265bis §5.6, with messages", () => {
  const cases: [string, string][] = [
    ["a=1\u0000", "Set-Cookie ignored: it contains the control character U+0000"],
    ["a=1; Path=/\n", "Set-Cookie ignored: it contains the control character U+000A"],
    ["a=\u007f", "Set-Cookie ignored: it contains the control character U+007F"],
    ["a=\u001b[31m", "Set-Cookie ignored: it contains the control character U+001B"],
    ["", "Set-Cookie ignored: the name and the value are empty"],
    [" \t = \t ; Secure", "Set-Cookie ignored: the name and the value are empty"],
    [`a=${"x".repeat(4096)}`, "Set-Cookie ignored: the name and the value are 4097 octets, more than 4096"],
    [`a=${"é".repeat(2048)}`, "Set-Cookie ignored: the name and the value are 4097 octets, more than 4096"],
  ];
  for (const [text, reason] of cases) assert.equal(reasonOf(text), reason, JSON.stringify(text.slice(0, 20)));
});

Deno.test("parseSetCookie: HTAB is allowed and trimmed like space; 4096 octets is the most", () => {
  assert.equal(cookieOf("\ta\t=\tb c\t").value, "b c");
  assert.equal(cookieOf("\ta\t=\tb c\t").name, "a");
  assert.equal(cookieOf(`a=${"x".repeat(4095)}`).value.length, 4095);
  assert.equal(cookieOf(`${"n".repeat(4096)}`).value.length, 4096, "a nameless cookie counts its value");
  assert.equal(cookieOf("a=b\u00a0").value, "b\u00a0", "only WSP is trimmed, not NBSP");
});

Deno.test("parseSetCookie ignores an attribute whose value has more than 1024 octets", () => {
  assert.equal(cookieOf(`a=1; Path=/${"p".repeat(1023)}`).path, `/${"p".repeat(1023)}`);
  assert.equal(cookieOf(`a=1; Path=/${"p".repeat(1024)}`).path, "/docs", "default-path");
  assert.equal(cookieOf(`a=1; Path=/; Path=/${"p".repeat(1024)}`).path, "/", "the earlier Path stands");
  assert.equal(cookieOf(`a=1; Max-Age=1; Max-Age=${"9".repeat(1025)}`).expires?.getTime(), NOW + 1000);
});

Deno.test("parseSetCookie: Max-Age (§5.6.2) beats Expires in any order; the last of each wins", () => {
  const expires = "Expires=Wed, 09 Jun 2010 10:18:14 GMT";
  const june = Date.UTC(2010, 5, 9, 10, 18, 14);
  assert.equal(cookieOf(`a=1; ${expires}`).expires?.getTime(), june);
  assert.equal(cookieOf(`a=1; ${expires}; Max-Age=10`).expires?.getTime(), NOW + 10_000);
  assert.equal(cookieOf(`a=1; Max-Age=10; ${expires}`).expires?.getTime(), NOW + 10_000);
  assert.equal(cookieOf("a=1; Max-Age=10; Max-Age=20").expires?.getTime(), NOW + 20_000);
  assert.equal(cookieOf("a=1; Max-Age=20; Max-Age=oops").expires?.getTime(), NOW + 20_000, "invalid ignored");
  assert.equal(cookieOf(`a=1; ${expires}; Expires=garbage`).expires?.getTime(), june, "unparsable ignored");
  assert.equal(cookieOf("a=1; Expires=garbage").expires, undefined, "session cookie");
});

Deno.test("parseSetCookie: Max-Age values", () => {
  const cases: [string, number | undefined][] = [
    ["0", 0],
    ["-0", 0],
    ["-1", 0],
    ["-99999999999999999999", 0],
    ["1", NOW + 1000],
    ["007", NOW + 7000],
    ["  5  ", NOW + 5000],
    ["", undefined],
    ["-", undefined],
    ["+5", undefined],
    ["5s", undefined],
    ["1.5", undefined],
    ["1e3", undefined],
    ["0x10", undefined],
    ["٣", undefined],
  ];
  for (const [value, expiry] of cases) {
    assert.equal(cookieOf(`a=1; Max-Age=${value}`).expires?.getTime(), expiry, JSON.stringify(value));
  }
});

Deno.test("parseSetCookie caps Expires and Max-Age at 400 days from now (§5.5)", () => {
  assert.equal(COOKIE_AGE_LIMIT_MS, 400 * DAY);
  assert.equal(cookieOf("a=1; Max-Age=999999999999").expires?.getTime(), NOW + 400 * DAY);
  assert.equal(cookieOf(`a=1; Max-Age=${400 * 86400 - 1}`).expires?.getTime(), NOW + 400 * DAY - 1000);
  assert.equal(cookieOf("a=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT").expires?.getTime(), NOW + 400 * DAY);
  assert.equal(
    cookieOf("a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT").expires?.getTime(),
    0,
    "a past date is kept (it deletes)",
  );
});

Deno.test("parseSetCookie: Domain (§5.6.3, §5.7)", () => {
  const cases: [string, string][] = [
    ["Domain=example.com", ".example.com"],
    ["Domain=.example.com", ".example.com"],
    ["Domain=EXAMPLE.com", ".example.com"],
    ["Domain=www.example.com", ".www.example.com"],
    ["Domain=", "www.example.com"],
    ["Domain=.", "www.example.com"],
    ["Domain=example.com; Domain=", ".example.com"],
  ];
  for (const [attribute, domain] of cases) {
    assert.equal(cookieOf(`a=1; ${attribute}`).domain, domain, attribute);
  }
  assert.equal(
    reasonOf("a=1; Domain=com"),
    'Cookie "a" rejected: Domain "com" is a public suffix',
  );
  assert.equal(
    reasonOf("a=1; Domain=other.com"),
    'Cookie "a" rejected: Domain "other.com" does not domain-match the host "www.example.com"',
  );
  assert.equal(reasonOf("a=1; Domain=exämple.com"), 'Cookie "a" rejected: Domain "exämple.com" is not ASCII');
  // A public suffix equal to the host makes the cookie host-only (§5.7).
  assert.equal(cookieOf("a=1; Domain=github.io", new URL("https://github.io/")).domain, "github.io");
});

Deno.test("parseSetCookie: Path (§5.6.4) and the default-path (§5.1.4)", () => {
  const cases: [string, string, string][] = [
    ["a=1", "http://h.test/docs/page", "/docs"],
    ["a=1", "http://h.test/docs/", "/docs"],
    ["a=1", "http://h.test/page", "/"],
    ["a=1", "http://h.test/", "/"],
    ["a=1", "http://h.test", "/"],
    ["a=1; Path=/x/", "http://h.test/docs/page", "/x/"],
    ["a=1; Path=x", "http://h.test/docs/page", "/docs"],
    ["a=1; Path=", "http://h.test/docs/page", "/docs"],
    ["a=1; Path=/A%20b", "http://h.test/", "/A%20b"],
  ];
  for (const [text, from, path] of cases) {
    assert.equal(cookieOf(text, new URL(from)).path, path, `${text} @ ${from}`);
  }
});

Deno.test("parseSetCookie: SameSite (§5.6.7): None, Lax, Strict in any case, anything else Default", () => {
  const cases: [string, string][] = [
    ["", "Default"],
    ["; SameSite=Lax", "Lax"],
    ["; SameSite=STRICT", "Strict"],
    ["; SameSite=none; Secure", "None"],
    ["; SameSite=", "Default"],
    ["; SameSite=Laxer", "Default"],
    ["; SameSite", "Default"],
    ["; SameSite=Strict; SameSite=Lax", "Lax"],
  ];
  for (const [attributes, sameSite] of cases) {
    assert.equal(cookieOf(`a=1${attributes}`).sameSite, sameSite, attributes);
  }
  assert.equal(
    reasonOf("a=1; SameSite=None"),
    'Cookie "a" rejected: SameSite=None needs the Secure attribute',
  );
});

Deno.test("parseSetCookie: Secure only from secure URLs; http://localhost counts as secure", () => {
  assert.equal(
    reasonOf("a=1; Secure", new URL("http://example.com/")),
    'Cookie "a" rejected: Secure cookie from the insecure URL http://example.com',
  );
  assert.equal(cookieOf("a=1; Secure", new URL("http://localhost:8080/")).secure, true);
  assert.equal(cookieOf("a=1; Secure", new URL("http://127.0.0.1/")).secure, true);
  assert.equal(cookieOf("a=1; Secure", new URL("http://[::1]/")).domain, "::1");
});

Deno.test("parseSetCookie: the __Secure- and __Host- prefixes (§4.1.3), case-insensitive", () => {
  const https = new URL("https://example.com/app/page");
  const accepted = [
    "__Secure-id=1; Secure",
    "__Secure-id=1; Secure; Domain=example.com; Path=/app",
    "__Host-id=1; Secure; Path=/",
    "__host-id=1; secure; path=/",
  ];
  for (const text of accepted) assert.equal(parseSetCookie(text, https, NOW).ok, true, text);
  const rejected: [string, string][] = [
    ["__Secure-id=1", 'Cookie "__Secure-id" rejected: the __Secure- prefix needs the Secure attribute'],
    ["__SECURE-id=1", 'Cookie "__SECURE-id" rejected: the __Secure- prefix needs the Secure attribute'],
    ["__Host-id=1; Path=/", 'Cookie "__Host-id" rejected: the __Host- prefix needs the Secure attribute'],
    [
      "__Host-id=1; Secure; Path=/; Domain=example.com",
      'Cookie "__Host-id" rejected: the __Host- prefix needs a host-only cookie (no Domain attribute)',
    ],
    ["__Host-id=1; Secure", 'Cookie "__Host-id" rejected: the __Host- prefix needs "Path=/"'],
    ["__Host-id=1; Secure; Path=/app", 'Cookie "__Host-id" rejected: the __Host- prefix needs "Path=/"'],
    [
      "__Secure-id",
      `Cookie "" rejected: a nameless cookie's value must not start with __Secure- or __Host-`,
    ],
    [
      "=__host-id=1",
      `Cookie "" rejected: a nameless cookie's value must not start with __Secure- or __Host-`,
    ],
  ];
  for (const [text, reason] of rejected) assert.equal(reasonOf(text, https), reason, text);
  // From the root, the default-path is "/" too, but __Host- needs the Path attribute itself.
  assert.equal(
    reasonOf("__Host-id=1; Secure", new URL("https://example.com/")),
    'Cookie "__Host-id" rejected: the __Host- prefix needs "Path=/"',
  );
});

Deno.test("parseSetCookie throws a TypeError for arguments of the wrong type", () => {
  assert.throws(() => parseSetCookie(1 as unknown as string, url, NOW), {
    name: "TypeError",
    message: "Cannot parse Set-Cookie: expected a string, got number",
  });
  assert.throws(() => parseSetCookie("a=1", "https://h/" as unknown as URL, NOW), {
    name: "TypeError",
    message: "Cannot parse Set-Cookie: the request URL must be a URL",
  });
  assert.throws(() => parseSetCookie("a=1", url, NaN), {
    name: "RangeError",
    message: "Cannot parse Set-Cookie: now must be a finite number of milliseconds, got NaN",
  });
  assert.throws(() => parseSetCookieLines(null as unknown as string, url, NOW), {
    name: "TypeError",
    message: "Cannot parse Set-Cookie: expected a string, got object",
  });
});

Deno.test("parseSetCookieLines splits at newlines (a CR before one too) and drops ignored lines", () => {
  const cookies = parseSetCookieLines("a=1\r\n=\nb=2; Secure\nc=3; Domain=com\n\nd=4, e=5", url, NOW);
  assert.deepEqual(cookies.map((c) => [c.name, c.value]), [["a", "1"], ["b", "2"], ["d", "4, e=5"]]);
  assert.deepEqual(parseSetCookieLines("", url, NOW), []);
});

Deno.test("property: parseSetCookie never throws on any string, and a cookie has no control character", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (text) => {
      const parsed = parseSetCookie(text, url, NOW);
      if (parsed.ok) {
        // deno-lint-ignore no-control-regex
        assert.ok(!/[\x00-\x08\x0a-\x1f\x7f]/.test(parsed.cookie.name + parsed.cookie.value));
        assert.ok(parsed.cookie.path.startsWith("/"));
      } else {
        assert.match(parsed.reason, /^(Set-Cookie ignored|Cookie ".*" rejected): /s);
      }
    }),
    { seed: 6265, numRuns: 400 },
  );
});

Deno.test("property: a well-formed name=value with attributes parses back to that name and value", () => {
  const octet = fc.constantFrom(..."abcXYZ019!#$%&'()*+-./:<>?@[]^_`{|}~");
  const token = fc.string({ unit: octet, minLength: 1, maxLength: 12 });
  fc.assert(
    fc.property(
      token,
      token,
      fc.constantFrom("", "; Path=/", "; HttpOnly", "; Max-Age=5"),
      (name, value, attrs) => {
        const cookie = cookieOf(`${name}=${value}${attrs}`);
        assert.equal(cookie.name, name);
        assert.equal(cookie.value, value);
      },
    ),
    { seed: 1511, numRuns: 200 },
  );
});
