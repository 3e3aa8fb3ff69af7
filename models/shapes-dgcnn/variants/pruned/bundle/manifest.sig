{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "m2sj1jhqp2IycyA89yxMrOyYKOTs5jMvhESiijNQejK6ogV1NerT63hVyg5DxDxlfnMdLOmlLGua3rzmyytT5Q=="
}