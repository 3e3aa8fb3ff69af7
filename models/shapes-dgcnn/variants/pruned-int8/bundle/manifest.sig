{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "zYmgZq/lfdZKcZ8ZPNu86dllrGbchLdVh5q0EAeSOMZgSyWbWNy1gvDPZ0oLeGxDbVcZWeShH1ka\u002BRuL7tndjw=="
}