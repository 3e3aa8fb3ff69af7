{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "QO7EtMlcjc0k9CsavT8ToPRhI7JMeMMNZj\u002B1Qyd/N799fofB1qt50NtQmeJKUsiOnGxjhqMemcLUqsk3h5fdwQ=="
}