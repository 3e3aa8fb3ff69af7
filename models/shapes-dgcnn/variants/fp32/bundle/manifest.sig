{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "lcHobRJZW76R7WdWzSCsMgOqfjMTZq18IXzKogESlwp4C7oMfhdG8ZyYsZh3c/hhEVgaW3otNtV1FRzH2EOZyg=="
}