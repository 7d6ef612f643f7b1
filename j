<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>brief subscriptions</title>
    <dateCreated>Sat, 28 Nov 2026 07:00:00 GMT</dateCreated>
    <docs>https://opml.org/spec2.opml</docs>
  </head>
  <body>
    <outline type="rss" text="Harbour Times" title="Harbour Times" xmlUrl="http://127.0.0.1:39731/feed.xml"/>
  </body>
</opml>
