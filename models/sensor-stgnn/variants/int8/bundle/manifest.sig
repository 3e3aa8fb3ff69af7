{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "GXHtWeUV6oFuUSwpQjyWvNx66BBsFDJzWh1oxMOGj\u002BkMpavDqi1ksiHdCmNDOYD2g0iTZknxkwBplH0EabGtmw=="
}