{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "3uS1pbgRnR5c7xy5f/SJzNM13k6QydkZdQFArF48SROeo0wYHGhraS/gfn0I8UjpY3T\u002B0tc\u002ByTy4GIAG5VdByA=="
}