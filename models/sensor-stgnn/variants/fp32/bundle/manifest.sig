{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "2KsSrG1WHJQwLi3ha644gWlcOoMWS3LJjqmny/XhhzZnCQ36j8japMY8CB4HW7tip5R6PwkhLmV6mhECW1VG7A=="
}